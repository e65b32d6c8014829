/**
 * MCP clients towards upstream servers over Streamable HTTP, legacy HTTP+SSE and stdio, relaying Jackson trees
 * unchanged (ADR 0003). {@link dev.mcpgw.gateway.upstream.UpstreamConnections} is the pool; each transport
 * only moves messages, while one JSON-RPC correlator shared by all of them matches answers, enforces timeouts, sends
 * cancellations and hands notifications and server-to-client requests to the listener in arrival order. Around it,
 * one resilience4j circuit breaker per upstream and retries within the caller's deadline (idempotent requests, and
 * any request whose connection was refused); {@link dev.mcpgw.gateway.upstream.UpstreamEvents} reports
 * both for metrics. Every request goes through the pool's {@link dev.mcpgw.gateway.upstream.RequestTracer}: with
 * tracing on ({@code trace}), a CLIENT span that carries its context to the upstream in HTTP headers and
 * {@code params._meta} (stdio: {@code _meta} only; Streamable HTTP: {@code _meta} only inside a session, so that it
 * never makes a request look stateless), with retries and breaker transitions as its events (ADR 0011).
 * Errors name the upstream and never carry header or environment values.
 */
package dev.mcpgw.gateway.upstream;
