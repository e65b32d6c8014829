// Module resolution hook (see legacy-sse.mjs): when the conformance suite imports the SDK's Streamable HTTP client
// transport, it gets a module whose StreamableHTTPClientTransport is the SDK's SSEClientTransport.
const STREAMABLE = '@modelcontextprotocol/sdk/client/streamableHttp.js';

export async function resolve(specifier, context, nextResolve) {
  if (specifier === STREAMABLE && context.parentURL && context.parentURL.includes('/@modelcontextprotocol/conformance/')) {
    const sse = await nextResolve('@modelcontextprotocol/sdk/client/sse.js', context);
    const source = `import { SSEClientTransport } from ${JSON.stringify(sse.url)};\n`
      + 'export class StreamableHTTPClientTransport extends SSEClientTransport {}\n';
    return { url: 'data:text/javascript,' + encodeURIComponent(source), shortCircuit: true };
  }
  return nextResolve(specifier, context);
}
