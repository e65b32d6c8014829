/**
 * Context propagation helpers the gateway calls: {@link dev.mcpgw.observability.propagation.McpMetaCarrier} carries
 * the configured fields inside an MCP message's {@code params._meta} (MCP SEP-414) so context survives any transport,
 * {@link dev.mcpgw.observability.propagation.BaggageLimits} caps outbound baggage, and
 * {@link dev.mcpgw.observability.propagation.TraceResponse} renders the {@code traceresponse} header. The configured
 * header formats (W3C trace context and baggage, B3, Jaeger, OT trace) are assembled in
 * {@code dev.mcpgw.observability.internal.propagation} and reached through
 * {@link dev.mcpgw.observability.Observability#propagator()}.
 */
package dev.mcpgw.observability.propagation;
