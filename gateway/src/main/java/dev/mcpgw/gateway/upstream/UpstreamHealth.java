package dev.mcpgw.gateway.upstream;

import java.time.Instant;

/**
 * A snapshot of one upstream's health, shown in {@code GET /gateways} and (later) on spans.
 *
 * @param connected whether a session is established
 * @param circuitState the circuit breaker's state: {@code CLOSED}, {@code OPEN}, {@code HALF_OPEN}, ...
 * @param lastError the last failure's message (no secrets), or {@code null}
 * @param lastErrorAt when it happened, or {@code null}
 */
public record UpstreamHealth(boolean connected, String circuitState, String lastError, Instant lastErrorAt) {}
