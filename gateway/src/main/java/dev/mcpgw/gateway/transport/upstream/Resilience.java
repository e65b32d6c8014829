package dev.mcpgw.gateway.transport.upstream;

import dev.mcpgw.gateway.transport.upstream.UpstreamException.Kind;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One upstream's circuit breaker and retry policy (resilience4j), outliving its sessions so that reconnecting does
 * not reset the breaker. Only failures of the upstream itself count against it (timeouts, broken or refused
 * connections, protocol violations); a JSON-RPC error answer shows the upstream alive and counts as a success.
 * Retries happen only for idempotent requests, only after the upstream could not be reached, and only within the
 * request's deadline: the caller's timeout bounds the whole call, retries included.
 */
final class Resilience {
  private static final Logger LOG = LoggerFactory.getLogger(Resilience.class);
  /** Not worth an attempt: less time left than this. */
  private static final long MIN_ATTEMPT_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  private final String upstream;
  private final UpstreamSettings settings;
  private final ScheduledExecutorService timer;
  private final CircuitBreaker breaker;
  private final Retry retry;
  private final AtomicReference<Failure> lastFailure = new AtomicReference<>();

  Resilience(String upstream, UpstreamSettings settings, UpstreamEvents events, ScheduledExecutorService timer) {
    this.upstream = upstream;
    this.settings = settings;
    this.timer = timer;
    int n = settings.breakerFailureThreshold();
    this.breaker = CircuitBreaker.of("upstream-" + upstream, CircuitBreakerConfig.custom()
        // n calls in a row that all failed open the circuit
        .slidingWindow(n, n, CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
        .failureRateThreshold(100)
        .waitDurationInOpenState(settings.breakerOpenDuration())
        .automaticTransitionFromOpenToHalfOpenEnabled(true)
        .permittedNumberOfCallsInHalfOpenState(1)
        .recordException(Resilience::isUpstreamFailure)
        .writableStackTraceEnabled(false)
        .build());
    this.retry = Retry.of("upstream-" + upstream, RetryConfig.custom()
        .maxAttempts(settings.maxRetries() + 1)
        .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(settings.retryBackoff(), 2.0, 0.5))
        .retryOnException(Resilience::isRetryable)
        .failAfterMaxAttempts(false)
        .build());
    breaker.getEventPublisher().onStateTransition(e -> {
      String from = e.getStateTransition().getFromState().name();
      String to = e.getStateTransition().getToState().name();
      LOG.info("upstream '{}': circuit breaker {} -> {}", upstream, from, to);
      try {
        events.onBreakerTransition(upstream, from, to);
      } catch (RuntimeException ex) {
        LOG.warn("upstream events listener failed on a breaker transition: {}", ex.toString());
      }
    });
    retry.getEventPublisher().onRetry(e -> {
      if (unwrap(e.getLastThrowable()) instanceof UpstreamException u) {
        LOG.debug("upstream '{}': retry {} after: {}", upstream, e.getNumberOfRetryAttempts(), u.getMessage());
        try {
          events.onRetry(upstream, e.getNumberOfRetryAttempts(), u);
        } catch (RuntimeException ex) {
          LOG.warn("upstream events listener failed on a retry: {}", ex.toString());
        }
      }
    });
  }

  /**
   * Runs {@code attempt} through the circuit breaker and, when {@code retryable}, the retry policy. Cancelling the
   * returned future cancels the attempt under way.
   *
   * @param attempt starts one attempt given its deadline ({@link System#nanoTime()})
   */
  <T> CompletableFuture<T> call(String method, Duration timeout, boolean retryable,
      java.util.function.LongFunction<CompletableFuture<T>> attempt) {
    long deadline = System.nanoTime() + timeout.toNanos();
    CompletableFuture<T> result = new CompletableFuture<>();
    AtomicReference<CompletableFuture<T>> current = new AtomicReference<>();
    Supplier<CompletionStage<T>> once = () -> {
      if (result.isDone()) {
        return CompletableFuture.failedFuture(new CancellationException());
      }
      if (deadline - System.nanoTime() < MIN_ATTEMPT_NANOS) {
        return CompletableFuture.failedFuture(UpstreamErrors.timeout(upstream, method, timeout));
      }
      if (!breaker.tryAcquirePermission()) {
        return CompletableFuture.failedFuture(UpstreamErrors.circuitOpen(upstream,
            settings.breakerFailureThreshold(), settings.breakerOpenDuration()));
      }
      long start = System.nanoTime();
      CompletableFuture<T> f;
      try {
        f = attempt.apply(deadline);
      } catch (RuntimeException e) {
        f = CompletableFuture.failedFuture(e);
      }
      current.set(f);
      return f.whenComplete((r, e) -> record(e, System.nanoTime() - start));
    };
    CompletionStage<T> stage;
    try {
      stage = retryable && settings.maxRetries() > 0 ? retry.executeCompletionStage(timer, once) : once.get();
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e);
    }
    stage.whenComplete((r, e) -> {
      if (e == null) {
        result.complete(r);
      } else {
        result.completeExceptionally(unwrap(e));
      }
    });
    result.whenComplete((r, e) -> {
      CompletableFuture<T> f = current.get();
      if (result.isCancelled() && f != null) {
        f.cancel(true);
      }
    });
    return result;
  }

  private void record(Throwable error, long elapsedNanos) {
    if (error == null) {
      breaker.onSuccess(elapsedNanos, TimeUnit.NANOSECONDS);
      return;
    }
    Throwable cause = unwrap(error);
    if (cause instanceof CancellationException) {
      breaker.releasePermission(); // the caller gave up: says nothing about the upstream
      return;
    }
    breaker.onError(elapsedNanos, TimeUnit.NANOSECONDS, cause);
    if (isUpstreamFailure(cause)) {
      lastFailure.set(new Failure(cause.getMessage(), Instant.now()));
    }
  }

  /** Records a failure noticed outside a call (the connection broke). */
  void connectionLost(UpstreamException cause) {
    lastFailure.set(new Failure(cause.getMessage(), Instant.now()));
  }

  String upstream() {
    return upstream;
  }

  String state() {
    return breaker.getState().name();
  }

  String lastError() {
    Failure f = lastFailure.get();
    return f == null ? null : f.message();
  }

  Instant lastErrorAt() {
    Failure f = lastFailure.get();
    return f == null ? null : f.at();
  }

  private static boolean isUpstreamFailure(Throwable t) {
    return t instanceof UpstreamException u && u.kind() != Kind.RPC_ERROR && u.kind() != Kind.CIRCUIT_OPEN;
  }

  /** Only an upstream that could not be reached is worth another try; a timeout has spent the caller's budget. */
  private static boolean isRetryable(Throwable t) {
    return unwrap(t) instanceof UpstreamException u && u.kind() == Kind.UNAVAILABLE;
  }

  static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while (c instanceof CompletionException && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }

  private record Failure(String message, Instant at) {}
}
