/**
 * Context propagation: the configured formats (W3C trace context and baggage, B3 single and multi header, Jaeger,
 * OT trace) for HTTP headers, and {@link dev.mcpgw.observability.propagation.McpMetaCarrier}, which carries the same
 * fields inside an MCP message's {@code params._meta} (MCP SEP-414) so context survives any transport.
 */
package dev.mcpgw.observability.propagation;
