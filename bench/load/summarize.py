"""Reads the RESULT lines of bench/load/tools-call and prints medians per target and the gateway/direct ratios."""
import re
import statistics
import sys

rows = {}
for line in sys.stdin:
    name = line.split()[0]
    vals = dict(re.findall(r"(\w+)=([\d.]+)", line))
    rows.setdefault(name, []).append({k: float(v) for k, v in vals.items()})
for k, runs in rows.items():
    if any(r["non2xx_or_wrong"] > 0 for r in runs):
        print(f"WARNING: {k} had failed or wrong answers", file=sys.stderr)
med = {k: {m: statistics.median(r[m] for r in v) for m in ("rps", "p50_us", "p99_us")} for k, v in rows.items()}
print("| target | req/s | p50 | p99 |\n|---|---|---|---|")
for k, m in med.items():
    print("| %s | %.0f | %.2f ms | %.2f ms |" % (k, m["rps"], m["p50_us"] / 1000, m["p99_us"] / 1000))
d, g = med["direct"], med["gateway"]
print("throughput ratio gateway/direct = %.2f; added p50 = %.2f ms; added p99 = %.2f ms" % (
    g["rps"] / d["rps"], (g["p50_us"] - d["p50_us"]) / 1000, (g["p99_us"] - d["p99_us"]) / 1000))
