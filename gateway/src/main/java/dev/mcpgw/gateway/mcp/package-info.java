/**
 * The MCP JSON-RPC dispatcher of the downstream endpoints: one {@link dev.mcpgw.gateway.mcp.McpDispatcher}
 * call per message, whatever the transport (Streamable HTTP or legacy SSE). Messages stay Jackson trees from the
 * client to the upstream and back, so fields the gateway does not know survive; only names, URIs, progress tokens and
 * errors are rewritten. Plugin hooks run here, progress notifications are routed back to the request that asked
 * for them, each forwarded call runs in a {@code gateway.forward} span, and the state a client keeps at upstreams
 * lives here: its own upstream sessions (for its capabilities, log level and subscriptions) and the server-to-client
 * requests waiting for its answer.
 */
package dev.mcpgw.gateway.mcp;
