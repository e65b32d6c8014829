// A stdio MCP server on the official TypeScript SDK with one tool, "meta", that answers with the _meta of the
// request it received (as JSON text), so a test can see what a client put there (trace context over stdio).
import { pathToFileURL } from 'node:url';
import path from 'node:path';

const sdk = process.env.MCP_SDK_DIR;
const { McpServer } = await import(pathToFileURL(path.join(sdk, 'dist/esm/server/mcp.js')).href);
const { StdioServerTransport } = await import(pathToFileURL(path.join(sdk, 'dist/esm/server/stdio.js')).href);

const server = new McpServer({ name: 'meta-server', version: '1.0.0' });
server.registerTool('meta', { description: 'Answers with the _meta of this request' }, async (extra) => ({
  content: [{ type: 'text', text: JSON.stringify(extra?._meta ?? null) }],
}));
await server.connect(new StdioServerTransport());
