package dev.mcpgw.observability.internal.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mcpgw.observability.config.SamplingConfig;
import dev.mcpgw.observability.config.SamplingConfig.Strategy;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.testing.time.TestClock;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Statistical checks of every strategy. Ratio tolerances are four standard deviations of the binomial count, so a
 * correct sampler fails about once in 15,000 runs; trace ids come from a seeded generator, so runs are repeatable.
 */
class SamplersTest {

  private static final int TRACES = 20_000;
  private final Random random = new Random(42);

  private String traceId() {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private static boolean sampled(Sampler sampler, Context parent, String traceId) {
    return sampler.shouldSample(parent, traceId, "op", SpanKind.SERVER, Attributes.empty(), List.of())
        .getDecision() == SamplingDecision.RECORD_AND_SAMPLE;
  }

  private static Context parent(String traceId, boolean sampled) {
    SpanContext ctx = SpanContext.createFromRemoteParent(traceId, "00f067aa0ba902b7",
        sampled ? TraceFlags.getSampled() : TraceFlags.getDefault(), TraceState.getDefault());
    return Context.root().with(Span.wrap(ctx));
  }

  @ParameterizedTest(name = "ratio {0}")
  @ValueSource(doubles = {0.01, 0.1, 0.5, 0.9})
  void ratioStrategiesKeepTheConfiguredShareWithinFourSigma(double ratio) {
    for (Strategy strategy : List.of(Strategy.TRACEIDRATIO, Strategy.PARENTBASED_TRACEIDRATIO,
        Strategy.PROBABILISTIC)) {
      Sampler sampler = Samplers.create(new SamplingConfig(strategy, ratio, 100, ""), "svc");
      int kept = 0;
      for (int i = 0; i < TRACES; i++) {
        if (sampled(sampler, Context.root(), traceId())) {
          kept++;
        }
      }
      double sigma = Math.sqrt(TRACES * ratio * (1 - ratio));
      assertThat((double) kept).as(strategy + " kept").isCloseTo(TRACES * ratio, within(4 * sigma));
    }
  }

  @Test
  void ratioDecisionIsAFunctionOfTheTraceIdAlone() {
    SamplingConfig config = new SamplingConfig(Strategy.PROBABILISTIC, 0.3, 100, "");
    Sampler first = Samplers.create(config, "gateway-a");
    Sampler second = Samplers.create(config, "gateway-b");
    for (int i = 0; i < 2_000; i++) {
      String id = traceId();
      assertThat(sampled(second, Context.root(), id)).isEqualTo(sampled(first, Context.root(), id));
    }
  }

  @ParameterizedTest
  @EnumSource(value = Strategy.class, names = {"ALWAYS", "PROBABILISTIC", "RATE_LIMITED", "ADAPTIVE",
      "PARENTBASED_ALWAYS_ON", "PARENTBASED_ALWAYS_OFF", "PARENTBASED_TRACEIDRATIO"})
  void parentBasedStrategiesFollowTheParentsDecision(Strategy strategy) {
    Sampler sampler = Samplers.create(new SamplingConfig(strategy, 0.0001, 0.001, ""), "svc");
    for (int i = 0; i < 500; i++) {
      String id = traceId();
      assertThat(sampled(sampler, parent(id, true), id)).isTrue();
      assertThat(sampled(sampler, parent(id, false), id)).isFalse();
    }
  }

  @Test
  void alwaysOnAndOffAreAbsolute() {
    Sampler on = Samplers.create(SamplingConfig.of(Strategy.ALWAYS_ON), "svc");
    Sampler off = Samplers.create(SamplingConfig.of(Strategy.ALWAYS_OFF), "svc");
    for (int i = 0; i < 1_000; i++) {
      String id = traceId();
      assertThat(sampled(on, Context.root(), id)).isTrue();
      assertThat(sampled(off, Context.root(), id)).isFalse();
    }
  }

  @Test
  void rateLimitedKeepsExactlyMaxPerSecondUnderSustainedOverload() {
    TestClock clock = TestClock.create();
    Sampler sampler = Samplers.create(new SamplingConfig(Strategy.RATE_LIMITED, 1, 100, ""), "svc", clock,
        c -> { });
    int seconds = 10;
    int offeredPerSecond = 10_000;
    int[] keptPerWindow = new int[seconds];
    for (int s = 0; s < seconds; s++) {
      for (int i = 0; i < offeredPerSecond; i++) {
        if (sampled(sampler, Context.root(), traceId())) {
          keptPerWindow[s]++;
        }
        clock.advance(java.time.Duration.ofNanos(1_000_000_000L / offeredPerSecond));
      }
    }
    // The bucket starts full (one second of burst), so the first window may take up to twice the rate.
    assertThat(keptPerWindow[0]).isBetween(100, 200);
    for (int s = 1; s < seconds; s++) {
      assertThat(keptPerWindow[s]).as("window " + s).isEqualTo(100);
    }
  }

  @Test
  void rateLimitedKeepsEverythingBelowTheLimit() {
    TestClock clock = TestClock.create();
    RateLimitingSampler sampler = new RateLimitingSampler(100, clock);
    int kept = 0;
    for (int i = 0; i < 500; i++) {
      clock.advance(java.time.Duration.ofMillis(20)); // 50 per second
      if (sampled(sampler, Context.root(), traceId())) {
        kept++;
      }
    }
    assertThat(kept).isEqualTo(500);
  }

  @Test
  void rateLimitedGrantsExactlyTheBucketToConcurrentCallersAtOneInstant() throws Exception {
    TestClock clock = TestClock.create();
    RateLimitingSampler sampler = new RateLimitingSampler(250, clock);
    AtomicInteger granted = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Callable<Void>> tasks = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        tasks.add(() -> {
          for (int i = 0; i < 5_000; i++) {
            if (sampler.tryAcquire()) {
              granted.incrementAndGet();
            }
          }
          return null;
        });
      }
      for (Future<Void> f : pool.invokeAll(tasks)) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(granted.get()).isEqualTo(250);
  }

  @Test
  void adaptiveConvergesNearItsTargetAsOfferedLoadChanges() {
    TestClock clock = TestClock.create();
    AdaptiveSampler sampler = new AdaptiveSampler(100, 1.0, java.time.Duration.ofSeconds(1), 0.3, clock);
    double target = 100;

    double keptAt1000 = runPhase(sampler, clock, 1_000, 30);
    assertThat(keptAt1000).as("kept/s at 1000/s offered").isCloseTo(target, within(target * 0.15));
    double ratioBefore = sampler.currentRatio();
    assertThat(ratioBefore).isCloseTo(0.1, within(0.01));

    // One window after the load jumps to 5000/s the ratio has moved towards 0.02 but not jumped there.
    runPhase(sampler, clock, 5_000, 1);
    runPhase(sampler, clock, 5_000, 1);
    double ratioAfterStep = sampler.currentRatio();
    assertThat(ratioAfterStep).isLessThan(ratioBefore).isGreaterThan(0.025);

    double keptAt5000 = runPhase(sampler, clock, 5_000, 30);
    assertThat(keptAt5000).as("kept/s at 5000/s offered").isCloseTo(target, within(target * 0.15));

    double keptAt50 = runPhase(sampler, clock, 50, 30);
    assertThat(keptAt50).as("kept/s at 50/s offered (below target: keep all)").isCloseTo(50, within(50 * 0.15));
    assertThat(sampler.currentRatio()).isEqualTo(1.0);
  }

  /** Offers {@code perSecond} evenly spaced root spans for {@code seconds}; returns kept/s over the last third. */
  private double runPhase(AdaptiveSampler sampler, TestClock clock, int perSecond, int seconds) {
    long step = 1_000_000_000L / perSecond;
    int measured = Math.max(1, seconds / 3);
    long kept = 0;
    for (int s = 0; s < seconds; s++) {
      for (int i = 0; i < perSecond; i++) {
        clock.advance(java.time.Duration.ofNanos(step));
        boolean keep = sampled(sampler, Context.root(), traceId());
        if (keep && s >= seconds - measured) {
          kept++;
        }
      }
    }
    return (double) kept / measured;
  }

  @Test
  void jaegerRemoteStartsWithItsInitialRatioAndIsHandedOverForClosing() throws Exception {
    List<java.io.Closeable> closeables = new ArrayList<>();
    // Nothing listens on port 9: polling fails quietly and the initial sampler stays in charge.
    Sampler sampler = Samplers.create(new SamplingConfig(Strategy.JAEGER_REMOTE, 1, 100,
        "endpoint=http://127.0.0.1:9,pollingIntervalMs=600000,initialSamplingRate=0.5"), "svc",
        io.opentelemetry.sdk.common.Clock.getDefault(), closeables::add);
    try {
      assertThat(sampler.getDescription()).contains("JaegerRemoteSampler");
      assertThat(closeables).hasSize(1);
      int kept = 0;
      for (int i = 0; i < TRACES; i++) {
        if (sampled(sampler, Context.root(), traceId())) {
          kept++;
        }
      }
      double sigma = Math.sqrt(TRACES * 0.25);
      assertThat((double) kept).isCloseTo(TRACES * 0.5, within(4 * sigma));
    } finally {
      for (java.io.Closeable c : closeables) {
        c.close();
      }
    }
  }
}
