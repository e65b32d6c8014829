"""Reads RESULT lines (bench/load/tools-call, bench/load/tracing-overhead) and prints medians per target and the ratios
of the compared target to the baseline: `summarize.py [baseline compared]`, by default `direct gateway`; and, when the
lines carry them, the median CPU time per call of the gateway, the upstream, the OTLP receiver and the whole
machine."""
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
base, other = sys.argv[1:3] if len(sys.argv) >= 3 else ("direct", "gateway")
d, g = med[base], med[other]
print("throughput ratio %s/%s = %.3f; added p50 = %.0f us; added p99 = %.0f us" % (
    other, base, g["rps"] / d["rps"], g["p50_us"] - d["p50_us"], g["p99_us"] - d["p99_us"]))
pairs = [g["rps"] / d["rps"] for d, g in zip(rows[base], rows[other])]
if len(pairs) > 1:
    # rounds alternate, so round i of each target ran side by side: the median of the per-round ratios is less
    # swayed by drift over the run than the ratio of the medians
    print("throughput ratio per round: median %.3f (%s)" % (
        statistics.median(pairs), " ".join("%.2f" % p for p in pairs)))
for key in ("gateway_cpu_us", "gateway_jit_cpu_us", "upstream_cpu_us", "client_cpu_us", "receiver_cpu_us", "machine_cpu_us"):
    if all(key in r for v in rows.values() for r in v):
        cpu = {k: statistics.median(r[key] for r in v) for k, v in rows.items()}
        print("%s CPU per call (median): %s %.0f us, %s %.0f us; added %.0f us (%+.1f %%)" % (
            key[:-len("_cpu_us")], base, cpu[base], other, cpu[other], cpu[other] - cpu[base],
            100 * (cpu[other] / cpu[base] - 1) if cpu[base] else 0))
