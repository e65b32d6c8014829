package dev.mcpgw.gateway.upstream;

/**
 * What the resilience layer does on its own, for tracing and metrics: retries, circuit-breaker transitions and
 * each request's end. Methods
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

  /**
   * One request to the upstream ended (after its retries), in the context of the caller that sent it.
   *
   * @param method the JSON-RPC method
   * @param nanos from the first attempt to the end, backoffs included
   * @param result the answer when it succeeded, else {@code null}
   * @param failure why it failed, else {@code null}
   */
  default void onCompleted(String upstream, String method, long nanos, Object result, Throwable failure) {}

  /** Ignores every event. */
  UpstreamEvents NONE = new UpstreamEvents() {};
}
