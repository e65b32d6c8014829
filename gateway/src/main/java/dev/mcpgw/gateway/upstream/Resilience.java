package dev.mcpgw.gateway.upstream;

import dev.mcpgw.gateway.upstream.UpstreamException.Kind;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One upstream's circuit breaker and retry policy (resilience4j), outliving its sessions so that reconnecting does
 * not reset the breaker. Only failures of the upstream itself count against it (timeouts, broken or refused
 * connections, protocol violations); a JSON-RPC error answer shows the upstream alive and counts as a success.
 * Retries happen only after the upstream could not be reached, and only within the request's deadline: the caller's
 * timeout bounds the whole call, retries included. An idempotent request is retried whenever the upstream was
 * unavailable; any other request only when its connection was refused, so it certainly never reached the upstream.
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
  private final Retry retryUndelivered;
  private final AtomicReference<Failure> lastFailure = new AtomicReference<>();
  private final UpstreamEvents events;

  Resilience(String upstream, UpstreamSettings settings, UpstreamEvents events, ScheduledExecutorService timer) {
    this.events = events;
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
    this.retry = retry("upstream-" + upstream, settings, Resilience::isRetryable, events);
    this.retryUndelivered = retry("upstream-" + upstream + "-undelivered", settings, Resilience::wasNotDelivered,
        events);
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
  }

  private Retry retry(String name, UpstreamSettings settings, java.util.function.Predicate<Throwable> when,
      UpstreamEvents events) {
    Retry r = Retry.of(name, RetryConfig.custom()
        .maxAttempts(settings.maxRetries() + 1)
        .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(settings.retryBackoff(), 2.0, 0.5))
        .retryOnException(when)
        .failAfterMaxAttempts(false)
        .build());
    r.getEventPublisher().onRetry(e -> {
      if (unwrap(e.getLastThrowable()) instanceof UpstreamException u) {
        LOG.debug("upstream '{}': retry {} after: {}", upstream, e.getNumberOfRetryAttempts(), u.getMessage());
        try {
          events.onRetry(upstream, e.getNumberOfRetryAttempts(), u);
        } catch (RuntimeException ex) {
          LOG.warn("upstream events listener failed on a retry: {}", ex.toString());
        }
      }
    });
    return r;
  }

  /**
   * Runs {@code attempt} through the circuit breaker and the retry policy ({@code retryable}: the request is
   * idempotent). Cancelling the returned future cancels the attempt under way.
   *
   * @param observer told of this call's retries and breaker transitions, on whichever thread they happen
   * @param attempt starts one attempt given its deadline ({@link System#nanoTime()})
   */
  <T> CompletableFuture<T> call(String method, Duration timeout, boolean retryable, CallObserver observer,
      java.util.function.LongFunction<CompletableFuture<T>> attempt) {
    long started = System.nanoTime();
    long deadline = started + timeout.toNanos();
    CompletableFuture<T> result = new CompletableFuture<>();
    // in the caller's context, so that a metric's exemplar names the caller's trace
    result.whenComplete(io.opentelemetry.context.Context.current().wrapConsumer((r, e) -> {
      try {
        events.onCompleted(upstream, method, System.nanoTime() - started, r, e);
      } catch (RuntimeException ex) {
        LOG.warn("upstream events listener failed on a completed call: {}", ex.toString());
      }
    }));
    AtomicReference<CompletableFuture<T>> current = new AtomicReference<>();
    AtomicReference<Attempted> previous = new AtomicReference<>();
    Supplier<CompletionStage<T>> once = () -> {
      Attempted before = previous.get();
      if (before != null) {
        observer.retrying(before.number(), before.error(), System.nanoTime() - before.failedAt());
      }
      int number = before == null ? 1 : before.number() + 1;
      return tryOnce(method, timeout, deadline, result, current, observer, attempt).whenComplete((r, e) -> {
        if (e != null) {
          previous.set(new Attempted(number, unwrap(e), System.nanoTime()));
        }
      });
    };
    CompletionStage<T> stage;
    try {
      Retry policy = retryable ? retry : retryUndelivered;
      if (settings.maxRetries() > 0) {
        // a backoff may reach past the deadline: the call still ends there, as the caller was promised
        ScheduledFuture<?> expiry = timer.schedule(
            () -> result.completeExceptionally(UpstreamErrors.timeout(upstream, method, timeout)),
            Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        result.whenComplete((r, e) -> expiry.cancel(false));
        stage = policy.executeCompletionStage(timer, once);
      } else {
        stage = once.get();
      }
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
      // an attempt under way at the deadline ends by its own timer (a timeout, which counts against the breaker)
      if (result.isCancelled() && f != null) {
        f.cancel(true);
      }
    });
    return result;
  }

  private <T> CompletableFuture<T> tryOnce(String method, Duration timeout, long deadline, CompletableFuture<T> result,
      AtomicReference<CompletableFuture<T>> current, CallObserver observer,
      java.util.function.LongFunction<CompletableFuture<T>> attempt) {
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
    return f.whenComplete((r, e) -> record(e, System.nanoTime() - start, observer));
  }

  private void record(Throwable error, long elapsedNanos, CallObserver observer) {
    CircuitBreaker.State before = breaker.getState();
    if (error == null) {
      breaker.onSuccess(elapsedNanos, TimeUnit.NANOSECONDS);
    } else {
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
    CircuitBreaker.State after = breaker.getState();
    if (after != before) {
      // this attempt's outcome moved the breaker (the transition listener ran on this thread just now)
      observer.breakerChanged(before.name(), after.name());
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

  /**
   * A request that is not idempotent may be tried again only when it certainly never reached the upstream: its
   * connection was refused.
   */
  private static boolean wasNotDelivered(Throwable t) {
    if (!(unwrap(t) instanceof UpstreamException u) || u.kind() != Kind.UNAVAILABLE) {
      return false;
    }
    for (Throwable c = u.getCause(); c != null; c = c.getCause()) {
      if (c instanceof java.net.ConnectException) {
        return true;
      }
    }
    return false;
  }

  static Throwable unwrap(Throwable t) {
    return UpstreamException.unwrap(t);
  }

  private record Failure(String message, Instant at) {}

  /** An attempt of one call that failed: its number (1 for the first), why, and when. */
  private record Attempted(int number, Throwable error, long failedAt) {}
}
