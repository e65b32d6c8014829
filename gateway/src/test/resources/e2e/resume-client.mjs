// A TypeScript SDK client that loses its connection in the middle of a call and resumes the call's SSE stream with
// Last-Event-ID (the SDK's resumptionToken), over Streamable HTTP at URL. It calls SLOW_TOOL with SLOW_ARGS, records
// the progress it sees until CUT_AFTER notifications arrived, closes its transport (the connection drops; the session
// stays), then a second client on the same session resumes from the last event id it saw. Prints
// {"before": [progress], "after": [progress], "result": CallToolResult, "tokens": [event ids]}.
import { pathToFileURL } from 'node:url';
import path from 'node:path';

const sdk = process.env.MCP_SDK_DIR;
const load = (p) => import(pathToFileURL(path.join(sdk, 'dist/esm', p)).href);
const { Client } = await load('client/index.js');
const { StreamableHTTPClientTransport } = await load('client/streamableHttp.js');
const types = await load('types.js');

const url = new URL(process.env.URL);
const cutAfter = Number(process.env.CUT_AFTER || '2');
const params = { name: process.env.SLOW_TOOL, arguments: JSON.parse(process.env.SLOW_ARGS || '{}') };

try {
  const first = new StreamableHTTPClientTransport(url);
  const client = new Client({ name: 'mcpgw-e2e-resume', version: '1.0.0' });
  await client.connect(first);
  const sessionId = first.sessionId;
  const before = [];
  const tokens = [];
  let cut;
  const cutDone = new Promise((resolve) => { cut = resolve; });
  client.callTool(params, types.CallToolResultSchema, {
    timeout: 60000,
    onprogress: (p) => {
      before.push(p.progress);
      if (before.length === cutAfter) cut();
    },
    onresumptiontoken: (t) => tokens.push(t),
  }).catch(() => {});
  await cutDone;
  // the connection drops mid-call; the session and the call live on at the gateway
  await first.close();
  const lastSeen = tokens[tokens.length - 1];

  const second = new StreamableHTTPClientTransport(url, { sessionId });
  const after = [];
  const resumed = new Client({ name: 'mcpgw-e2e-resume', version: '1.0.0' });
  await resumed.connect(second);
  const wire = second.onmessage;
  second.onmessage = (message, extra) => {
    if (message.method === 'notifications/progress') after.push(message.params.progress);
    wire?.(message, extra);
  };
  const result = await resumed.request({ method: 'tools/call', params }, types.CallToolResultSchema, {
    timeout: 60000,
    resumptionToken: lastSeen,
    onresumptiontoken: (t) => tokens.push(t),
  });
  process.stdout.write(JSON.stringify({ before, after, result, tokens }) + '\n');
  await second.terminateSession();
  await resumed.close();
  process.exit(0);
} catch (e) {
  process.stderr.write(`client failed: ${e?.stack || e}\n`);
  process.exit(1);
}
