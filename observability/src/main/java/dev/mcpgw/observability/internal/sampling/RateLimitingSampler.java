package dev.mcpgw.observability.internal.sampling;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.Clock;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps at most {@code maxPerSecond} new traces per second: a lock-free token bucket holding up to one second of
 * tokens, kept as a single "theoretical arrival time" (the generic cell rate algorithm) so one compare-and-set both
 * refills and takes a token. Under sustained overload exactly one trace is kept every {@code 1/maxPerSecond} seconds;
 * a burst after a quiet second may take the whole bucket at once.
 */
final class RateLimitingSampler implements Sampler {

  private final Clock clock;
  private final double maxPerSecond;
  /** Nanoseconds one token is worth. */
  private final long interval;
  /** How far the arrival time may run ahead of now: a full bucket minus the token being taken. */
  private final long burstTolerance;
  private final AtomicLong theoreticalArrival;

  RateLimitingSampler(double maxPerSecond, Clock clock) {
    if (!(maxPerSecond > 0)) {
      throw new IllegalArgumentException("maxPerSecond must be positive");
    }
    this.clock = clock;
    this.maxPerSecond = maxPerSecond;
    this.interval = Math.max(1L, (long) (1_000_000_000d / maxPerSecond));
    long bucket = Math.max(1L, (long) Math.ceil(maxPerSecond));
    this.burstTolerance = interval * (bucket - 1);
    // Start with a full bucket: the first second's traffic is sampled like any burst.
    this.theoreticalArrival = new AtomicLong(clock.nanoTime());
  }

  static RateLimitingSampler create(double maxPerSecond) {
    return new RateLimitingSampler(maxPerSecond, Clock.getDefault());
  }

  /** Takes a token if one is available. */
  boolean tryAcquire() {
    long now = clock.nanoTime();
    while (true) {
      long tat = theoreticalArrival.get();
      long base = tat - now > 0 ? tat : now;
      if (base - now > burstTolerance) {
        return false;
      }
      if (theoreticalArrival.compareAndSet(tat, base + interval)) {
        return true;
      }
    }
  }

  @Override
  public SamplingResult shouldSample(Context parentContext, String traceId, String name, SpanKind spanKind,
      Attributes attributes, List<LinkData> parentLinks) {
    return tryAcquire() ? SamplingResult.recordAndSample() : SamplingResult.drop();
  }

  @Override
  public String getDescription() {
    return "RateLimitingSampler{" + maxPerSecond + "/s}";
  }

  @Override
  public String toString() {
    return getDescription();
  }
}
