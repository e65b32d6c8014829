// An MCP client built on the official TypeScript SDK: connects to URL over Streamable HTTP with a bearer TOKEN,
// lists the tools, calls TOOL with ARGS, and prints {"tools": [names], "call": result} as JSON on stdout.
import { pathToFileURL } from 'node:url';
import path from 'node:path';

const sdk = process.env.MCP_SDK_DIR;
const { Client } = await import(pathToFileURL(path.join(sdk, 'dist/esm/client/index.js')).href);
const { StreamableHTTPClientTransport } = await import(pathToFileURL(path.join(sdk, 'dist/esm/client/streamableHttp.js')).href);

const headers = process.env.TOKEN ? { Authorization: `Bearer ${process.env.TOKEN}` } : {};
const transport = new StreamableHTTPClientTransport(new URL(process.env.URL), { requestInit: { headers } });
const client = new Client({ name: 'mcpgw-e2e', version: '1.0.0' });
try {
  await client.connect(transport);
  const tools = [];
  let cursor;
  do {
    const page = await client.listTools(cursor ? { cursor } : {});
    tools.push(...page.tools.map((t) => t.name));
    cursor = page.nextCursor;
  } while (cursor);
  const call = await client.callTool({ name: process.env.TOOL, arguments: JSON.parse(process.env.ARGS || '{}') });
  process.stdout.write(JSON.stringify({ tools, call }) + '\n');
  await client.close();
} catch (e) {
  process.stderr.write(`client failed: ${e?.stack || e}\n`);
  process.exit(1);
}
