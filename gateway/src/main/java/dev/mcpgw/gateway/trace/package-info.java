/**
 * The glue between the gateway and the observability module: what turns a request into one trace in the shape of
 * docs/trace-shape.md. Instrumentation sits at the few seams every request passes (the HTTP filter chain, the
 * JSON-RPC dispatch point, the catalog, the plugin chain listener, the forwarding of a call, each request to an
 * upstream, the DataSource, the batch operations of the registry), never in the individual methods behind them. Every
 * span of the gateway is made in this package: the packages on the path own only a seam interface and its no-op.
 * {@link dev.mcpgw.gateway.trace.GatewayTelemetry} alone chooses, once at build time, between the tracing decorators
 * and plain pass-through, so a disabled gateway runs exactly the undecorated objects.
 */
package dev.mcpgw.gateway.trace;
