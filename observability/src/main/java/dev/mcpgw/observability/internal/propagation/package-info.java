/**
 * The configured propagation formats for HTTP headers (W3C trace context and baggage, B3 single and multi header,
 * Jaeger, OT trace), built by {@link dev.mcpgw.observability.internal.propagation.Propagators}.
 *
 * <p>Internal to the observability module: not part of its API. Types here are public only so that other packages
 * of this module can use them; the gateway and bench modules must not import them, and they may change or go away
 * at any time (the same convention as the OpenTelemetry Java SDK's {@code internal} packages).
 */
package dev.mcpgw.observability.internal.propagation;
