/**
 * The MCP service behind the downstream wire: one {@link dev.mcpgw.gateway.mcp.McpDispatcher} call per message,
 * whatever the transport (Streamable HTTP or legacy SSE). Messages stay Jackson trees from the client to the upstream
 * and back, so fields the gateway does not know survive; only names, URIs, progress tokens and errors are rewritten.
 * The method handlers answer from the catalog or forward to the upstream that owns the name, plugin hooks run here,
 * progress notifications are routed back to the request that asked for them, and the state a client keeps at
 * upstreams lives here: its own upstream sessions (for its capabilities, log level and subscriptions) and the
 * server-to-client requests waiting for its answer. Each forwarded call runs inside the {@link
 * dev.mcpgw.gateway.mcp.ForwardTracing} it was given; the spans themselves are made in {@code trace}.
 */
package dev.mcpgw.gateway.mcp;
