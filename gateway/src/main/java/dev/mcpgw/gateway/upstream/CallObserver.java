package dev.mcpgw.gateway.upstream;

/**
 * What happens inside one call through {@link Resilience}, told to whoever traces that call. The methods run on
 * whichever thread noticed the event (the retry timer, a transport's reader), so an implementation carries its own
 * span rather than looking at the current context; they must return quickly and never throw.
 */
public interface CallObserver {

  /**
   * The previous attempt failed and attempt {@code retry + 1} starts now.
   *
   * @param retry the number of the retry (1 for the first)
   * @param previous why the previous attempt failed
   * @param waitedNanos how long passed between that failure and this attempt (the backoff actually waited)
   */
  default void retrying(int retry, Throwable previous, long waitedNanos) {}

  /** An attempt of this call moved the upstream's circuit breaker from {@code from} to {@code to}. */
  default void breakerChanged(String from, String to) {}

  /** Observes nothing. */
  CallObserver NONE = new CallObserver() {};
}
