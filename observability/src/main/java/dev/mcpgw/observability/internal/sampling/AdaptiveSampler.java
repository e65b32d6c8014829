package dev.mcpgw.observability.internal.sampling;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.Clock;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Keeps about {@code targetPerSecond} new traces per second whatever the offered load. It counts the root spans
 * offered in fixed windows, smooths the offered rate with an exponentially weighted moving average, and sets the
 * ratio to {@code target / smoothed rate} (at most 1). The smoothing makes the ratio move gradually when load
 * changes instead of jumping on one noisy window. Decisions come from the trace id, like trace-id ratio sampling.
 */
final class AdaptiveSampler implements Sampler {

  static final Duration DEFAULT_WINDOW = Duration.ofSeconds(1);
  static final double DEFAULT_SMOOTHING = 0.3;
  private static final double MIN_RATIO = 1e-6;

  private final Clock clock;
  private final double targetPerSecond;
  private final long windowNanos;
  private final double smoothing;
  private final AtomicLong windowStart;
  private final LongAdder offered = new LongAdder();
  /**
   * Written only by the thread that closes a window (the compare-and-set winner); volatile because the next
   * window may be closed by another thread.
   */
  private volatile double smoothedRate = -1;
  private volatile double ratio;
  private volatile long upperBound;

  /**
   * @param targetPerSecond root spans per second to keep
   * @param initialRatio ratio until the first window closes
   * @param window length of one counting window
   * @param smoothing weight of the newest window in the moving average, 0 (never moves) to 1 (no smoothing)
   * @param clock time source
   */
  AdaptiveSampler(double targetPerSecond, double initialRatio, Duration window, double smoothing,
      Clock clock) {
    if (!(targetPerSecond > 0)) {
      throw new IllegalArgumentException("targetPerSecond must be positive");
    }
    if (!(smoothing > 0 && smoothing <= 1)) {
      throw new IllegalArgumentException("smoothing must be in (0, 1]");
    }
    this.clock = clock;
    this.targetPerSecond = targetPerSecond;
    this.windowNanos = window.toNanos();
    this.smoothing = smoothing;
    this.windowStart = new AtomicLong(clock.nanoTime());
    setRatio(Math.min(1.0, Math.max(MIN_RATIO, initialRatio)));
  }

  static AdaptiveSampler create(double targetPerSecond, double initialRatio) {
    return new AdaptiveSampler(targetPerSecond, initialRatio, DEFAULT_WINDOW, DEFAULT_SMOOTHING, Clock.getDefault());
  }

  /** The ratio currently applied. */
  double currentRatio() {
    return ratio;
  }

  @Override
  public SamplingResult shouldSample(Context parentContext, String traceId, String name, SpanKind spanKind,
      Attributes attributes, List<LinkData> parentLinks) {
    long now = clock.nanoTime();
    long start = windowStart.get();
    long elapsed = now - start;
    if (elapsed >= windowNanos && windowStart.compareAndSet(start, now)) {
      closeWindow(elapsed);
    }
    offered.increment();
    return TraceIdRatio.keep(traceId, upperBound) ? SamplingResult.recordAndSample() : SamplingResult.drop();
  }

  private void closeWindow(long elapsedNanos) {
    double rate = offered.sumThenReset() / (elapsedNanos / 1e9);
    smoothedRate = smoothedRate < 0 ? rate : smoothing * rate + (1 - smoothing) * smoothedRate;
    double next = smoothedRate <= targetPerSecond ? 1.0 : targetPerSecond / smoothedRate;
    setRatio(Math.max(MIN_RATIO, next));
  }

  private void setRatio(double newRatio) {
    this.upperBound = TraceIdRatio.upperBound(newRatio);
    this.ratio = newRatio;
  }

  @Override
  public String getDescription() {
    return "AdaptiveSampler{target=" + targetPerSecond + "/s}";
  }

  @Override
  public String toString() {
    return getDescription();
  }
}
