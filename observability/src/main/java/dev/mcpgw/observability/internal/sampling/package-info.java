/**
 * Sampling strategies. The standard samplers come from the SDK; the {@code rate_limited} and {@code adaptive}
 * strategies are ours. Every strategy is wrapped parent-based so that a trace is kept or dropped as a whole, and
 * ratio decisions are taken from the trace id so every process that sees the trace decides the same way.
 *
 * <p>Internal to the observability module: not part of its API. Types here are public only so that other packages
 * of this module can use them; the gateway and bench modules must not import them, and they may change or go away
 * at any time (the same convention as the OpenTelemetry Java SDK's {@code internal} packages).
 */
package dev.mcpgw.observability.internal.sampling;
