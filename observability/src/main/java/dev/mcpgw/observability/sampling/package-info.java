/**
 * Sampling strategies. The standard samplers come from the SDK; the {@code rate_limited} and {@code adaptive}
 * strategies are ours. Every strategy is wrapped parent-based so that a trace is kept or dropped as a whole, and
 * ratio decisions are taken from the trace id so every process that sees the trace decides the same way.
 */
package dev.mcpgw.observability.sampling;
