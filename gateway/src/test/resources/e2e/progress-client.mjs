// An MCP client built on the official TypeScript SDK, for the gateway's MCP serving tests. Over Streamable HTTP (or
// the legacy SSE transport when TRANSPORT=sse) with a bearer TOKEN it lists the tools at URL, calls ECHO_TOOL, then runs SLOW_TOOL (a tool that reports progress) from
// CLIENTS separate clients at once, each recording its progress notifications and when its result came. Prints
// {"tools": [names], "echo": result, "runs": [{"progress": [...], "firstProgressMs", "resultMs", "result"}]}, where
// progress is what arrived on the wire before the call's result, in arrival order. (The SDK hands notifications to
// their handlers a microtask late but responses at once, so a progress event read in the same chunk as the result
// never reaches onprogress: the wire is the faithful record of what the gateway sent.)
import { pathToFileURL } from 'node:url';
import path from 'node:path';

const sdk = process.env.MCP_SDK_DIR;
const { Client } = await import(pathToFileURL(path.join(sdk, 'dist/esm/client/index.js')).href);
const { StreamableHTTPClientTransport } = await import(pathToFileURL(path.join(sdk, 'dist/esm/client/streamableHttp.js')).href);
const { SSEClientTransport } = await import(pathToFileURL(path.join(sdk, 'dist/esm/client/sse.js')).href);
const { CallToolResultSchema } = await import(pathToFileURL(path.join(sdk, 'dist/esm/types.js')).href);

const headers = process.env.TOKEN ? { Authorization: `Bearer ${process.env.TOKEN}` } : {};

async function connect() {
  const transport = process.env.TRANSPORT === 'sse'
    ? new SSEClientTransport(new URL(process.env.URL), {
      requestInit: { headers },
      eventSourceInit: { fetch: (url, init) => fetch(url, { ...init, headers: { ...init?.headers, ...headers } }) },
    })
    : new StreamableHTTPClientTransport(new URL(process.env.URL), { requestInit: { headers } });
  const client = new Client({ name: 'mcpgw-e2e-progress', version: '1.0.0' });
  client.wire = [];
  // installed before connect: the SDK's own handler runs after this one, for every message, in arrival order
  transport.onmessage = (message) => client.wire.push({ at: Date.now(), message });
  await client.connect(transport);
  return client;
}

async function slowCall(client) {
  const start = Date.now();
  const from = client.wire.length;
  const result = await client.callTool(
    { name: process.env.SLOW_TOOL, arguments: JSON.parse(process.env.SLOW_ARGS || '{}') },
    CallToolResultSchema,
    { onprogress: () => {}, timeout: 60000 });
  const seen = client.wire.slice(from);
  const answer = seen.findIndex((w) => w.message.result?.content !== undefined);
  const progress = seen.slice(0, answer).filter((w) => w.message.method === 'notifications/progress');
  return {
    progress: progress.map((w) => w.message.params.progress),
    firstProgressMs: progress.length ? progress[0].at - start : null,
    resultMs: seen[answer].at - start,
    result,
  };
}

try {
  const first = await connect();
  const tools = [];
  let cursor;
  do {
    const page = await first.listTools(cursor ? { cursor } : {});
    tools.push(...page.tools.map((t) => t.name));
    cursor = page.nextCursor;
  } while (cursor);
  const echo = await first.callTool({ name: process.env.ECHO_TOOL, arguments: { message: 'through the gateway' } });
  const others = [];
  for (let i = 1; i < Number(process.env.CLIENTS || '1'); i++) others.push(await connect());
  // every client's first progress-reporting request gets the same request id, hence the same progress token
  const runs = await Promise.all([first, ...others].map(slowCall));
  for (const c of [first, ...others]) await c.close();
  process.stdout.write(JSON.stringify({ tools, echo, runs }) + '\n');
} catch (e) {
  process.stderr.write(`client failed: ${e?.stack || e}\n`);
  process.exit(1);
}
