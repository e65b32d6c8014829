// An MCP client on the official TypeScript SDK, traced with the OpenTelemetry JS SDK (@opentelemetry/sdk-node) and
// the OpenInference MCP instrumentation, which writes the active context into each request's params._meta. It opens
// one span, calls TOOL with ARGS over Streamable HTTP at URL (bearer TOKEN) inside it, exports its spans to Zipkin at
// ZIPKIN_URL, flushes, and prints {"traceId": ..., "spanId": ..., "call": result} on stdout.
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(path.join(process.env.NODE_MODULES, 'e2e-client.js'));
const { NodeSDK } = require('@opentelemetry/sdk-node');
const { ZipkinExporter } = require('@opentelemetry/exporter-zipkin');
const { MCPInstrumentation } = require('@arizeai/openinference-instrumentation-mcp');
const api = require('@opentelemetry/api');
const streamableHttp = require('@modelcontextprotocol/sdk/client/streamableHttp.js');
const { Client } = require('@modelcontextprotocol/sdk/client/index.js');

const sdk = new NodeSDK({
  serviceName: 'e2e-client',
  traceExporter: new ZipkinExporter({ url: process.env.ZIPKIN_URL }),
  instrumentations: [],
});
sdk.start();
// the SDK is loaded as CommonJS here; the instrumentation's automatic hook does not see it, so patch it by hand
new MCPInstrumentation().manuallyInstrument({ clientStreamableHTTPModule: streamableHttp });

const tracer = api.trace.getTracer('mcpgw-e2e-client');
const headers = process.env.TOKEN ? { Authorization: `Bearer ${process.env.TOKEN}` } : {};
try {
  const out = await tracer.startActiveSpan('e2e-client', { kind: api.SpanKind.CLIENT }, async (span) => {
    try {
      const transport = new streamableHttp.StreamableHTTPClientTransport(new URL(process.env.URL),
        { requestInit: { headers } });
      const client = new Client({ name: 'mcpgw-e2e-traced', version: '1.0.0' });
      await client.connect(transport);
      const call = await client.callTool({ name: process.env.TOOL, arguments: JSON.parse(process.env.ARGS || '{}') });
      await client.close();
      return { traceId: span.spanContext().traceId, spanId: span.spanContext().spanId, call };
    } finally {
      span.end();
    }
  });
  await sdk.shutdown(); // flushes the batch processor: the client span is in Zipkin once this returns
  process.stdout.write(JSON.stringify(out) + '\n');
} catch (e) {
  process.stderr.write(`client failed: ${e?.stack || e}\n`);
  process.exit(1);
}
