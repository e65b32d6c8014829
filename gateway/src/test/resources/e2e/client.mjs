// An MCP client built on the official TypeScript SDK: connects to URL over Streamable HTTP with a bearer TOKEN,
// lists the tools, calls TOOL with ARGS, and prints {"tools": [names], "call": result} as JSON on stdout.
// With MODEL set it declares sampling (and nothing else), answers every sampling/createMessage with MODEL as its model
// and ANSWER as its text, adds "sampled" (how many it answered) and "request" (the last one's params) to its output,
// and ends its session before it leaves.
import { pathToFileURL } from 'node:url';
import path from 'node:path';

const sdk = process.env.MCP_SDK_DIR;
const load = (p) => import(pathToFileURL(path.join(sdk, 'dist/esm', p)).href);
const { Client } = await load('client/index.js');
const { StreamableHTTPClientTransport } = await load('client/streamableHttp.js');
const types = await load('types.js');

const samples = Boolean(process.env.MODEL);
const headers = process.env.TOKEN ? { Authorization: `Bearer ${process.env.TOKEN}` } : {};
const transport = new StreamableHTTPClientTransport(new URL(process.env.URL), { requestInit: { headers } });
const client = samples
  ? new Client({ name: 'mcpgw-e2e-sampling', version: '1.0.0' }, { capabilities: { sampling: {} } })
  : new Client({ name: 'mcpgw-e2e', version: '1.0.0' });
let sampled = 0;
let request;
if (samples) {
  client.setRequestHandler(types.CreateMessageRequestSchema, async (r) => {
    sampled += 1;
    request = r.params;
    return { model: process.env.MODEL, role: 'assistant', stopReason: 'endTurn',
      content: { type: 'text', text: process.env.ANSWER } };
  });
}
try {
  await client.connect(transport);
  const tools = [];
  let cursor;
  do {
    const page = await client.listTools(cursor ? { cursor } : {});
    tools.push(...page.tools.map((t) => t.name));
    cursor = page.nextCursor;
  } while (cursor);
  const args = JSON.parse(process.env.ARGS || '{}');
  const call = samples
    ? await client.callTool({ name: process.env.TOOL, arguments: args }, types.CallToolResultSchema, { timeout: 60000 })
    : await client.callTool({ name: process.env.TOOL, arguments: args });
  process.stdout.write(JSON.stringify(samples ? { tools, call, sampled, request } : { tools, call }) + '\n');
  if (samples && transport.terminateSession) {
    await transport.terminateSession();
  }
  await client.close();
} catch (e) {
  process.stderr.write(`client failed: ${e?.stack || e}\n`);
  process.exit(1);
}
