package dev.mcpgw.observability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mcpgw.observability.config.ObservabilityConfigLoader;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TimeOrderedIdsTest {
  private static final long DEC_2026 = 1_796_601_600L; // 2026-12-07T00:00:00Z in seconds

  @Test
  void aTraceIdBeginsWithTheSecondItWasMadeAndIsValid() {
    TimeOrderedIds ids = new TimeOrderedIds(() -> DEC_2026);
    for (int i = 0; i < 1_000; i++) {
      String id = ids.generateTraceId();
      assertThat(TraceId.isValid(id)).isTrue();
      assertThat(id).matches("[0-9a-f]{32}");
      assertThat(Long.parseLong(id.substring(0, 8), 16)).isEqualTo(DEC_2026);
    }
  }

  @Test
  void idsMadeLaterSortAfterEarlierOnes() {
    AtomicLong now = new AtomicLong(DEC_2026);
    TimeOrderedIds ids = new TimeOrderedIds(now::get);
    List<String> made = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      made.add(ids.generateTraceId());
      now.addAndGet(1);
    }
    assertThat(made).isSorted();
  }

  @Test
  void theOtherNinetySixBitsAreRandomSoIdsOfOneSecondDiffer() {
    TimeOrderedIds ids = new TimeOrderedIds(() -> DEC_2026);
    Set<String> low = new HashSet<>();
    Set<String> middle = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      String id = ids.generateTraceId();
      middle.add(id.substring(8, 16));
      low.add(id.substring(16));
    }
    assertThat(low).hasSize(10_000);
    assertThat(middle.size()).isGreaterThan(9_990); // 32 random bits: about 0.01 repeats expected among 10,000
    assertThat(ids.generatesRandomTraceIds()).isTrue();
  }

  @Test
  void theRatioSamplerStillKeepsItsShareBecauseItReadsTheRandomLowBits() {
    TimeOrderedIds ids = new TimeOrderedIds(() -> DEC_2026); // the same time for all: only the random bits decide
    Sampler half = Sampler.traceIdRatioBased(0.5);
    int sampled = 0;
    for (int i = 0; i < 20_000; i++) {
      if (half.shouldSample(Context.root(), ids.generateTraceId(), "s", SpanKind.SERVER, Attributes.empty(),
          List.of()).getDecision() == SamplingDecision.RECORD_AND_SAMPLE) {
        sampled++;
      }
    }
    assertThat(sampled).isBetween(9_000, 11_000); // 10,000 expected, standard deviation about 71
  }

  @Test
  void spanIdsStayRandomAndValid() {
    Set<String> spans = new HashSet<>();
    for (int i = 0; i < 1_000; i++) {
      String id = TimeOrderedIds.INSTANCE.generateSpanId();
      assertThat(SpanId.isValid(id)).isTrue();
      spans.add(id);
    }
    assertThat(spans).hasSize(1_000);
  }

  @Test
  void theGatewaysTracesGetTimeOrderedIds() {
    SpanSettingsTakeEffectTest.Batches out = new SpanSettingsTakeEffectTest.Batches();
    Observability obs = Observability.builder(ObservabilityConfigLoader.load(Map.of("OTEL_METRICS_EXPORTER", "none",
        "OTEL_LOGS_EXPORTER", "none", "OTEL_TRACES_EXPORTER", "none", "OTEL_TRACES_SAMPLER", "always_on"), null))
        .addSpanExporter("ids", out).build();
    try {
      long before = System.currentTimeMillis();
      obs.trace("first", Attributes.empty(), () -> null);
      obs.trace("second", Attributes.empty(), () -> null);
      long after = System.currentTimeMillis();
      obs.forceFlush(Duration.ofSeconds(10));
      List<SpanData> spans = out.spans();
      assertThat(spans).hasSize(2);
      for (SpanData span : spans) {
        assertThat(Long.parseLong(span.getTraceId().substring(0, 8), 16)).isBetween(before / 1000, after / 1000);
        assertThat(span.getSpanContext().getTraceFlags().isSampled()).isTrue();
      }
      assertThat(spans.get(0).getTraceId()).isNotEqualTo(spans.get(1).getTraceId());
    } finally {
      out.shutdown();
      obs.shutdown();
    }
  }
}
