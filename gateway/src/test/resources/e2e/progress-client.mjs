// An MCP client built on the official TypeScript SDK, for the gateway's MCP serving tests. Over Streamable HTTP (or
// the legacy SSE transport when TRANSPORT=sse) with a bearer TOKEN it lists the tools at URL, calls ECHO_TOOL, then runs SLOW_TOOL (a tool that reports progress) from
// CLIENTS separate clients at once, each recording its progress notifications and when its result came. Prints
// {"tools": [names], "echo": result, "runs": [{"progress": [...], "firstProgressMs", "resultMs", "result"}]}.
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
  await client.connect(transport);
  return client;
}

async function slowCall(client) {
  const progress = [];
  const start = Date.now();
  let firstProgressMs = null;
  const result = await client.callTool(
    { name: process.env.SLOW_TOOL, arguments: JSON.parse(process.env.SLOW_ARGS || '{}') },
    CallToolResultSchema,
    {
      onprogress: (p) => {
        if (firstProgressMs === null) firstProgressMs = Date.now() - start;
        progress.push(p.progress);
      },
      timeout: 60000,
    });
  return { progress, firstProgressMs, resultMs: Date.now() - start, result };
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
