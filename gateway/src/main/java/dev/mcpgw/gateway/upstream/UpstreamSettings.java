package dev.mcpgw.gateway.upstream;

import dev.mcpgw.gateway.config.GatewaySettings;
import java.time.Duration;
import java.util.Objects;

/**
 * How the gateway talks to every upstream: timeouts, retries of idempotent requests and the circuit breaker.
 *
 * @param connectTimeout how long opening a connection, spawning a process and the initialize handshake may take
 * @param requestTimeout the default time an upstream has to answer one request
 * @param maxRetries how often an idempotent request is retried after the upstream could not be reached (0 = never)
 * @param retryBackoff the first retry's wait; each further retry waits about twice as long, with jitter
 * @param breakerFailureThreshold consecutive failures (timeouts, broken connections) that open the circuit
 * @param breakerOpenDuration how long the circuit stays open before one trial call may pass (half-open)
 */
public record UpstreamSettings(
    Duration connectTimeout,
    Duration requestTimeout,
    int maxRetries,
    Duration retryBackoff,
    int breakerFailureThreshold,
    Duration breakerOpenDuration) {

  public UpstreamSettings {
    positive(connectTimeout, "connectTimeout");
    positive(requestTimeout, "requestTimeout");
    positive(retryBackoff, "retryBackoff");
    positive(breakerOpenDuration, "breakerOpenDuration");
    if (maxRetries < 0) {
      throw new IllegalArgumentException("maxRetries must be 0 or more: " + maxRetries);
    }
    if (breakerFailureThreshold < 1) {
      throw new IllegalArgumentException("breakerFailureThreshold must be 1 or more: " + breakerFailureThreshold);
    }
  }

  /**
   * The defaults of production ({@code MCPGW_UPSTREAM_*}) and of tests: 10 s to connect, 30 s per request, 2 retries
   * from 200 ms, the circuit opens after 5 failures for 30 s.
   */
  public static final UpstreamSettings DEFAULTS = new UpstreamSettings(
      GatewaySettings.Upstream.DEFAULTS.connectTimeout(), GatewaySettings.Upstream.DEFAULTS.requestTimeout(),
      GatewaySettings.Upstream.DEFAULTS.maxRetries(), GatewaySettings.Upstream.DEFAULTS.retryBackoff(),
      GatewaySettings.Upstream.DEFAULTS.breakerFailureThreshold(), GatewaySettings.Upstream.DEFAULTS.breakerOpenDuration());

  private static void positive(Duration value, String field) {
    Objects.requireNonNull(value, field);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(field + " must be positive: " + value);
    }
  }
}
