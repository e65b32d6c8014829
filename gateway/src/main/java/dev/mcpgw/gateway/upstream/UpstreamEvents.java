package dev.mcpgw.gateway.upstream;

/**
 * What the resilience layer does on its own, for tracing and metrics: retries and circuit-breaker transitions. Methods
 * run on the thread that noticed the event and must return quickly; an exception they throw is logged and dropped.
 */
public interface UpstreamEvents {

  /**
   * An idempotent request failed and will be tried again.
   *
   * @param upstream the upstream's registered name
   * @param attempt the number of the retry about to happen (1 for the first retry)
   * @param error why the previous attempt failed (its message names the upstream and holds no secrets)
   */
  default void onRetry(String upstream, int attempt, UpstreamException error) {}

  /**
   * The upstream's circuit breaker changed state.
   *
   * @param from the previous state ({@code CLOSED}, {@code OPEN}, {@code HALF_OPEN}, ...)
   * @param to the new state
   */
  default void onBreakerTransition(String upstream, String from, String to) {}

  /** Ignores every event. */
  UpstreamEvents NONE = new UpstreamEvents() {};
}
