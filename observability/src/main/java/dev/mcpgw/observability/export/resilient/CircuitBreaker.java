package dev.mcpgw.observability.export.resilient;

import io.opentelemetry.sdk.common.Clock;

/**
 * Closed, open, half-open. Closed lets every export through and opens after {@code threshold} consecutive failures;
 * open refuses everything for {@code openNanos}; then one trial export is let through (half-open) and its outcome
 * closes or re-opens the breaker. Small and synchronized: it is consulted once per batch, not per span.
 */
final class CircuitBreaker {

  enum State {
    CLOSED(0), HALF_OPEN(1), OPEN(2);

    final long gaugeValue;

    State(long gaugeValue) {
      this.gaugeValue = gaugeValue;
    }
  }

  private final int threshold;
  private final long openNanos;
  private final Clock clock;

  private State state = State.CLOSED;
  private int consecutiveFailures;
  private long openedAt;
  private boolean trialInFlight;
  private long openings;

  CircuitBreaker(int threshold, long openNanos, Clock clock) {
    this.threshold = threshold;
    this.openNanos = openNanos;
    this.clock = clock;
  }

  /** Whether an export may go to the backend now; in half-open state only the first caller gets the trial. */
  synchronized boolean tryAcquire() {
    switch (state) {
      case CLOSED:
        return true;
      case OPEN:
        if (clock.nanoTime() - openedAt < openNanos) {
          return false;
        }
        state = State.HALF_OPEN;
        trialInFlight = true;
        return true;
      default:
        if (trialInFlight) {
          return false;
        }
        trialInFlight = true;
        return true;
    }
  }

  synchronized void onSuccess() {
    state = State.CLOSED;
    consecutiveFailures = 0;
    trialInFlight = false;
  }

  synchronized void onFailure() {
    trialInFlight = false;
    if (state == State.HALF_OPEN || (state == State.CLOSED && ++consecutiveFailures >= threshold)) {
      state = State.OPEN;
      openedAt = clock.nanoTime();
      consecutiveFailures = 0;
      openings++;
    }
  }

  synchronized State state() {
    return state;
  }

  /** How often the breaker has opened since it was built (for the summary line). */
  synchronized long openings() {
    return openings;
  }
}
