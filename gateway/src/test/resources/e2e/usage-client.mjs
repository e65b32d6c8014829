// An MCP client built on the official TypeScript SDK for the usage tests: connects to URL over Streamable HTTP with a
// bearer TOKEN (and a W3C baggage header BAGGAGE when set), calls TOOL with ARGS CALLS times in one session, and
// prints {"results": [...]} on stdout: each {"ok": result} or {"error": {"code", "message", "data"}}.
import { pathToFileURL } from 'node:url';
import path from 'node:path';

const sdk = process.env.MCP_SDK_DIR;
const { Client } = await import(pathToFileURL(path.join(sdk, 'dist/esm/client/index.js')).href);
const { StreamableHTTPClientTransport } = await import(pathToFileURL(path.join(sdk, 'dist/esm/client/streamableHttp.js')).href);

const headers = process.env.TOKEN ? { Authorization: `Bearer ${process.env.TOKEN}` } : {};
if (process.env.BAGGAGE) {
  headers.baggage = process.env.BAGGAGE;
}
const transport = new StreamableHTTPClientTransport(new URL(process.env.URL), { requestInit: { headers } });
const client = new Client({ name: 'mcpgw-e2e-usage', version: '1.0.0' });
try {
  await client.connect(transport);
  const results = [];
  const calls = Number(process.env.CALLS || '1');
  for (let i = 0; i < calls; i++) {
    try {
      results.push({ ok: await client.callTool({ name: process.env.TOOL, arguments: JSON.parse(process.env.ARGS || '{}') }) });
    } catch (e) {
      results.push({ error: { code: e?.code, message: e?.message, data: e?.data } });
    }
  }
  process.stdout.write(JSON.stringify({ results }) + '\n');
  await client.close();
} catch (e) {
  process.stderr.write(`client failed: ${e?.stack || e}\n`);
  process.exit(1);
}
