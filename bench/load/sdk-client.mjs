// Closed-loop load of tools/call with the official TypeScript SDK client (Client + StreamableHTTPClientTransport):
// --clients sessions, each calling --tool with {message} one call after another for --duration seconds; every answer
// is checked (it must echo the message). Prints one line:
//   RESULT requests=N rps=R p50_us=P p99_us=Q non2xx_or_wrong=E client_cpu_us=C
// Switches for A/B runs (they change what the client sends, not the SDK):
//   --no-get      answer the client's standalone GET stream with 405 locally, so it never reaches the server
//   --accept V    the Accept header of every POST (e.g. "application/json" to ask for JSON answers)
//   --token T     a bearer token on every request
// Run by bench/load/sdk-clients; loopback only.
import { pathToFileURL } from "node:url";
import { performance } from "node:perf_hooks";

const opts = { clients: 8, duration: 10, tool: "echo", url: "", noGet: false, accept: "", token: "" };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === "--clients") opts.clients = Number(argv[++i]);
  else if (a === "--duration") opts.duration = Number(argv[++i]);
  else if (a === "--tool") opts.tool = argv[++i];
  else if (a === "--url") opts.url = argv[++i];
  else if (a === "--no-get") opts.noGet = true;
  else if (a === "--accept") opts.accept = argv[++i];
  else if (a === "--token") opts.token = argv[++i];
  else { console.error(`sdk-client: unknown argument ${a}`); process.exit(2); }
}
if (!/^http:\/\/127\.0\.0\.1:\d+\//.test(opts.url)) { console.error("sdk-client: --url must be http://127.0.0.1:PORT/..."); process.exit(2); }
const sdk = process.env.MCP_SDK_DIR;
if (!sdk) { console.error("sdk-client: MCP_SDK_DIR (the @modelcontextprotocol/sdk package directory) is not set"); process.exit(2); }
const { Client } = await import(pathToFileURL(`${sdk}/dist/esm/client/index.js`).href);
const { StreamableHTTPClientTransport } = await import(pathToFileURL(`${sdk}/dist/esm/client/streamableHttp.js`).href);

function fetcher() {
  return async (input, init = {}) => {
    const method = (init.method || "GET").toUpperCase();
    if (opts.noGet && method === "GET") return new Response(null, { status: 405 });
    if (opts.accept && method === "POST") {
      const h = new Headers(init.headers);
      h.set("accept", opts.accept);
      init = { ...init, headers: h };
    }
    const res = await fetch(input, init);
    if (traffic) {
      let what = method;
      if (typeof init.body === "string") { try { what += " " + (JSON.parse(init.body).method ?? "response"); } catch { /* not JSON */ } }
      what += ` -> ${res.status} ${res.headers.get("content-type") ?? ""} ${res.headers.get("connection") ?? ""}`;
      traffic.set(what, (traffic.get(what) ?? 0) + 1);
    }
    return res;
  };
}

// MCP_BENCH_TRAFFIC=1: counts the HTTP requests by method, JSON-RPC method and answer, printed to stderr at the end
const traffic = process.env.MCP_BENCH_TRAFFIC ? new Map() : null;
const latencies = [];
let wrong = 0;
async function oneClient(n, deadline) {
  const requestInit = opts.token ? { headers: { Authorization: `Bearer ${opts.token}` } } : undefined;
  const transport = new StreamableHTTPClientTransport(new URL(opts.url), { fetch: fetcher(), requestInit });
  const client = new Client({ name: `bench-${n}`, version: "1" });
  await client.connect(transport);
  let i = 0;
  while (performance.now() < deadline) {
    const message = `hello ${n} ${i++}`;
    const t0 = performance.now();
    try {
      const r = await client.callTool({ name: opts.tool, arguments: { message } });
      const text = r?.content?.[0]?.text ?? "";
      if (r.isError || !text.includes(message)) wrong++;
    } catch (e) {
      // the first few failures are named on stderr, so that a run with errors says what they were
      if (wrong++ < 3) console.error(`sdk-client: call failed: ${e?.message ?? e}`);
    }
    latencies.push(performance.now() - t0);
  }
  try { await transport.terminateSession(); } catch { /* a server without sessions */ }
  await client.close();
}

const start = performance.now();
const deadline = start + opts.duration * 1000;
await Promise.all(Array.from({ length: opts.clients }, (_, n) => oneClient(n, deadline)));
const elapsed = (performance.now() - start) / 1000;
latencies.sort((a, b) => a - b);
const q = (p) => latencies.length ? Math.round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] * 1000) : 0;
// the client's own CPU per call (user + system, this process): one Node thread runs all the clients, and on a busy
// machine it can be what limits the calls per second
const cpu = process.cpuUsage();
const clientCpu = Math.round((cpu.user + cpu.system) / Math.max(1, latencies.length));
console.log(`RESULT requests=${latencies.length} rps=${(latencies.length / elapsed).toFixed(1)} p50_us=${q(0.5)} ` +
  `p99_us=${q(0.99)} non2xx_or_wrong=${wrong} client_cpu_us=${clientCpu}`);
if (traffic) for (const [k, v] of traffic) console.error(`traffic ${v} ${k}`);
