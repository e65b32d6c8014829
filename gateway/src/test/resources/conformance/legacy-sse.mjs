// Preloaded with `node --import` in front of the @modelcontextprotocol/conformance CLI: the suite only speaks
// Streamable HTTP, so this swaps the client transport its scenarios construct for the TypeScript SDK's legacy
// SSEClientTransport (GET the stream, POST to the endpoint it names). Scenarios that bypass the SDK client with raw
// HTTP requests are not affected, and do not apply to the legacy transport.
import { register } from 'node:module';

register(new URL('./legacy-sse-hooks.mjs', import.meta.url));
