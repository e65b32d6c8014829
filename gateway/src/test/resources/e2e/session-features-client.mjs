// An MCP client built on the official TypeScript SDK that declares sampling, elicitation and roots and answers them,
// for the gateway's server-to-client tests. CLIENTS clients (named c0, c1, ...) connect to URL at once, over
// Streamable HTTP or the legacy SSE transport (TRANSPORT=sse), and each: calls SAMPLING_TOOL, ELICIT_TOOL and
// ROOTS_TOOL (its handlers answer with its own name, so a request routed to the wrong client shows), sets the log
// level, subscribes to SUB_URI, turns on UPDATES_TOOL and LOGGING_TOOL (upstream resource updates and log messages
// outside any request) and waits for one of each, then unsubscribes and turns them off. Prints
// {"runs": [{"name", "sampling", "elicitation", "roots", "setLevel", "updated": [uris], "logged": n,
// "requests": {method: count}}]}.
import { pathToFileURL } from 'node:url';
import path from 'node:path';

const sdk = process.env.MCP_SDK_DIR;
const load = (p) => import(pathToFileURL(path.join(sdk, 'dist/esm', p)).href);
const { Client } = await load('client/index.js');
const { StreamableHTTPClientTransport } = await load('client/streamableHttp.js');
const { SSEClientTransport } = await load('client/sse.js');
const types = await load('types.js');

const headers = process.env.TOKEN ? { Authorization: `Bearer ${process.env.TOKEN}` } : {};
const text = (result) => (result.content || []).map((c) => c.text || '').join('\n');
const until = async (what, check, ms = 15000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

async function run(name) {
  const transport = process.env.TRANSPORT === 'sse'
    ? new SSEClientTransport(new URL(process.env.URL), {
      requestInit: { headers },
      eventSourceInit: { fetch: (url, init) => fetch(url, { ...init, headers: { ...init?.headers, ...headers } }) },
    })
    : new StreamableHTTPClientTransport(new URL(process.env.URL), { requestInit: { headers } });
  const client = new Client({ name: `mcpgw-e2e-${name}`, version: '1.0.0' },
    { capabilities: { sampling: {}, elicitation: {}, roots: { listChanged: true } } });
  const requests = {};
  const count = (m) => { requests[m] = (requests[m] || 0) + 1; };
  client.setRequestHandler(types.CreateMessageRequestSchema, async () => {
    count('sampling/createMessage');
    return { model: 'e2e-model', role: 'assistant', content: { type: 'text', text: `sampled by ${name}` } };
  });
  client.setRequestHandler(types.ElicitRequestSchema, async () => {
    count('elicitation/create');
    return { action: 'accept', content: { name: `elicited by ${name}` } };
  });
  client.setRequestHandler(types.ListRootsRequestSchema, async () => {
    count('roots/list');
    return { roots: [{ uri: `file:///e2e/${name}`, name: `root of ${name}` }] };
  });
  const updated = [];
  const logged = [];
  client.setNotificationHandler(types.ResourceUpdatedNotificationSchema, (n) => updated.push(n.params.uri));
  client.setNotificationHandler(types.LoggingMessageNotificationSchema, (n) => logged.push(n.params));
  await client.connect(transport);
  const out = { name };
  const call = (tool, args = {}) => client.callTool({ name: tool, arguments: args }, types.CallToolResultSchema,
    { timeout: 60000 });
  out.sampling = text(await call(process.env.SAMPLING_TOOL, { prompt: 'hello', maxTokens: 10 }));
  out.elicitation = text(await call(process.env.ELICIT_TOOL));
  out.roots = text(await call(process.env.ROOTS_TOOL));
  out.setLevel = await client.setLoggingLevel('debug');
  await client.subscribeResource({ uri: process.env.SUB_URI });
  await call(process.env.UPDATES_TOOL);
  await until('resources/updated', () => updated.length > 0);
  await client.unsubscribeResource({ uri: process.env.SUB_URI });
  await call(process.env.UPDATES_TOOL);
  const before = logged.length;
  await call(process.env.LOGGING_TOOL);
  await until('a log message', () => logged.length > before);
  await call(process.env.LOGGING_TOOL);
  out.updated = updated;
  out.logged = logged.length;
  out.requests = requests;
  if (transport.terminateSession) {
    await transport.terminateSession();
  }
  await client.close();
  return out;
}

try {
  const n = Number(process.env.CLIENTS || '1');
  const runs = await Promise.all(Array.from({ length: n }, (_, i) => run(`c${i}`)));
  process.stdout.write(JSON.stringify({ runs }) + '\n');
  process.exit(0);
} catch (e) {
  process.stderr.write(`client failed: ${e?.stack || e}\n`);
  process.exit(1);
}
