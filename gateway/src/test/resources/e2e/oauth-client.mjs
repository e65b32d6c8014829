// An MCP client on the official TypeScript SDK with its OAuth support and no token of its own: connects to URL, is
// refused with 401 and a resource_metadata challenge, reads the gateway's protected-resource metadata, discovers
// the authorization server it names, gets a token there with the client-credentials grant (CLIENT_ID,
// CLIENT_SECRET, scope SCOPE, the metadata's resource as RFC 8707 resource indicator), then lists the tools and
// calls TOOL with ARGS. Prints {"tools": [names], "call": result, "issuer": the token type}.
import { pathToFileURL } from 'node:url';
import path from 'node:path';

const sdk = process.env.MCP_SDK_DIR;
const load = (p) => import(pathToFileURL(path.join(sdk, p)).href);
const { Client } = await load('dist/esm/client/index.js');
const { StreamableHTTPClientTransport } = await load('dist/esm/client/streamableHttp.js');
const { ClientCredentialsProvider } = await load('dist/esm/client/auth-extensions.js');

const authProvider = new ClientCredentialsProvider({
  clientId: process.env.CLIENT_ID, clientSecret: process.env.CLIENT_SECRET, scope: process.env.SCOPE,
  expectedIssuer: process.env.ISSUER,
});
const transport = new StreamableHTTPClientTransport(new URL(process.env.URL), { authProvider });
const client = new Client({ name: 'mcpgw-oauth-e2e', version: '1.0.0' });
try {
  await client.connect(transport);
  const tools = (await client.listTools()).tools.map((t) => t.name);
  const call = await client.callTool({ name: process.env.TOOL, arguments: JSON.parse(process.env.ARGS || '{}') });
  process.stdout.write(JSON.stringify({ tools, call, tokenType: authProvider.tokens()?.token_type }) + '\n');
  await client.close();
} catch (e) {
  process.stderr.write(`client failed: ${e?.stack || e}\n`);
  process.exit(1);
}
