package dev.mcpgw.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mcpgw.observability.config.ObservabilityConfigLoader;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 11's audit of the documented settings, for the keys that act on spans and that no other test observes (the
 * general and per-event/link limits, the SDK switch, the sampler argument, the batch processor, and the YAML-only
 * keys): each row sets its key, records spans through the facade built from {@code OTEL_*} and
 * {@code config/observability.yaml} as the gateway builds it, and observes the effect in what an exporter receives.
 * Each check fails with the default value of the key.
 */
class SpanSettingsTakeEffectTest {
  private static final AttributeKey<String> NOTE = AttributeKey.stringKey("note");
  @TempDir Path tmp;

  /** An exporter that keeps every batch it got, and can hang its first export until released. */
  static final class Batches implements SpanExporter {
    final List<List<SpanData>> batches = new CopyOnWriteArrayList<>();
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicBoolean hangFirst = new AtomicBoolean();
    final AtomicBoolean neverAnswerFirst = new AtomicBoolean();
    final CompletableResultCode unanswered = new CompletableResultCode();

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      batches.add(List.copyOf(spans));
      if (batches.size() == 1 && neverAnswerFirst.get()) {
        return unanswered;
      }
      if (batches.size() == 1 && hangFirst.get()) {
        try {
          release.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return CompletableResultCode.ofSuccess();
    }

    List<SpanData> spans() {
      return batches.stream().flatMap(List::stream).toList();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      release.countDown();
      unanswered.succeed();
      return CompletableResultCode.ofSuccess();
    }
  }

  record Row(String key, Map<String, String> env, String yaml, BiConsumer<Observability, Batches> act) {
    Row(String key, Map<String, String> env, BiConsumer<Observability, Batches> act) {
      this(key, env, null, act);
    }

    @Override
    public String toString() {
      return key;
    }
  }

  private static SpanData only(Observability obs, Batches out) {
    obs.forceFlush(Duration.ofSeconds(10));
    assertThat(out.spans()).hasSize(1);
    return out.spans().get(0);
  }

  private static void oneSpan(Observability obs, Attributes attributes) {
    obs.trace("audit", attributes, () -> null);
  }

  private static SpanContext remote() {
    return SpanContext.createFromRemoteParent("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
        TraceFlags.getSampled(), TraceState.getDefault());
  }

  static Stream<Arguments> rows() {
    List<Row> rows = new ArrayList<>();
    rows.add(new Row("OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT", Map.of("OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT", "5"), (obs, out) -> {
      oneSpan(obs, Attributes.of(NOTE, "abcdefghij"));
      assertThat(only(obs, out).getAttributes().get(NOTE)).isEqualTo("abcde");
    }));
    rows.add(new Row("OTEL_ATTRIBUTE_COUNT_LIMIT", Map.of("OTEL_ATTRIBUTE_COUNT_LIMIT", "2"), (obs, out) -> {
      oneSpan(obs, Attributes.builder().put("a", "1").put("b", "2").put("c", "3").put("d", "4").build());
      assertThat(only(obs, out).getAttributes().size()).isEqualTo(2);
    }));
    rows.add(new Row("OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT", Map.of("OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT", "1"), (obs, out) -> {
      obs.trace("audit", Attributes.empty(), () -> {
        obs.addEvent("e", Attributes.builder().put("a", "1").put("b", "2").put("c", "3").build());
        return null;
      });
      assertThat(only(obs, out).getEvents().get(0).getAttributes().size()).isEqualTo(1);
    }));
    rows.add(new Row("OTEL_SPAN_LINK_COUNT_LIMIT", Map.of("OTEL_SPAN_LINK_COUNT_LIMIT", "1"), (obs, out) -> {
      obs.tracer().spanBuilder("audit").addLink(remote()).addLink(remote()).addLink(remote()).startSpan().end();
      assertThat(only(obs, out).getLinks()).hasSize(1);
    }));
    rows.add(new Row("OTEL_LINK_ATTRIBUTE_COUNT_LIMIT", Map.of("OTEL_LINK_ATTRIBUTE_COUNT_LIMIT", "1"), (obs, out) -> {
      obs.tracer().spanBuilder("audit").addLink(remote(), Attributes.builder().put("a", "1").put("b", "2").build())
          .startSpan().end();
      assertThat(only(obs, out).getLinks().get(0).getAttributes().size()).isEqualTo(1);
    }));
    rows.add(new Row("OTEL_SDK_DISABLED", Map.of("OTEL_SDK_DISABLED", "true"), (obs, out) -> {
      oneSpan(obs, Attributes.empty());
      obs.forceFlush(Duration.ofSeconds(5));
      assertThat(obs.enabled()).isFalse();
      assertThat(out.spans()).isEmpty();
    }));
    rows.add(new Row("OTEL_TRACES_SAMPLER_ARG", Map.of("OTEL_TRACES_SAMPLER", "traceidratio",
        "OTEL_TRACES_SAMPLER_ARG", "0"), (obs, out) -> {
      for (int i = 0; i < 20; i++) {
        oneSpan(obs, Attributes.empty());
      }
      obs.forceFlush(Duration.ofSeconds(5));
      assertThat(out.spans()).isEmpty();
    }));
    rows.add(new Row("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", Map.of("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "1"), (obs, out) -> {
      for (int i = 0; i < 5; i++) {
        oneSpan(obs, Attributes.empty());
      }
      obs.forceFlush(Duration.ofSeconds(10));
      assertThat(out.spans()).hasSize(5);
      assertThat(out.batches).allSatisfy(b -> assertThat(b).hasSize(1));
    }));
    rows.add(new Row("OTEL_BSP_MAX_QUEUE_SIZE", Map.of("OTEL_BSP_MAX_QUEUE_SIZE", "1",
        "OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "1"), (obs, out) -> {
      out.hangFirst.set(true);
      oneSpan(obs, Attributes.empty());
      await().atMost(Duration.ofSeconds(10)).until(() -> out.batches.size() == 1);
      // the processor is stuck in the first export: the queue of one takes one span, the rest are dropped
      for (int i = 0; i < 10; i++) {
        oneSpan(obs, Attributes.empty());
      }
      out.release.countDown();
      obs.forceFlush(Duration.ofSeconds(10));
      assertThat(out.spans()).hasSizeLessThanOrEqualTo(2);
    }));
    rows.add(new Row("OTEL_BSP_EXPORT_TIMEOUT", Map.of("OTEL_BSP_EXPORT_TIMEOUT", "200",
        "OTEL_BSP_SCHEDULE_DELAY", "100"), (obs, out) -> {
      out.neverAnswerFirst.set(true);
      oneSpan(obs, Attributes.empty());
      await().atMost(Duration.ofSeconds(10)).until(() -> out.batches.size() == 1);
      oneSpan(obs, Attributes.empty());
      // an export that never answers is given up after 200 ms (30 s by default): the next batch goes out
      await().atMost(Duration.ofSeconds(10)).until(() -> out.batches.size() == 2);
    }));
    rows.add(new Row("OTEL_BSP_SCHEDULE_DELAY", Map.of("OTEL_BSP_SCHEDULE_DELAY", "100"), (obs, out) -> {
      oneSpan(obs, Attributes.empty());
      // exported by the schedule alone, no flush (the default waits 5 s)
      await().atMost(Duration.ofSeconds(3)).until(() -> out.spans().size() == 1);
    }));
    rows.add(new Row("observability.tracing.enabled", Map.of(), """
        observability:
          tracing:
            enabled: false
        """, (obs, out) -> {
      oneSpan(obs, Attributes.empty());
      obs.forceFlush(Duration.ofSeconds(5));
      assertThat(obs.enabled()).isTrue();
      assertThat(out.spans()).isEmpty();
      assertThat(Span.current().getSpanContext().isValid()).isFalse();
    }));
    rows.add(new Row("observability.tracing.sampling.rate", Map.of(), """
        observability:
          tracing:
            sampling:
              strategy: probabilistic
              rate: 0.0
        """, (obs, out) -> {
      for (int i = 0; i < 20; i++) {
        oneSpan(obs, Attributes.empty());
      }
      obs.forceFlush(Duration.ofSeconds(5));
      assertThat(out.spans()).isEmpty();
    }));
    rows.add(new Row("observability.tracing.sampling.max_per_second", Map.of(), """
        observability:
          tracing:
            sampling:
              strategy: rate_limited
              max_per_second: 1
        """, (obs, out) -> {
      for (int i = 0; i < 50; i++) {
        oneSpan(obs, Attributes.empty());
      }
      obs.forceFlush(Duration.ofSeconds(5));
      assertThat(out.spans()).isNotEmpty().hasSizeLessThan(50);
    }));
    rows.add(new Row("observability.data_privacy.include_defaults", Map.of(), """
        observability:
          data_privacy:
            include_defaults: false
        """, (obs, out) -> {
      oneSpan(obs, Attributes.of(NOTE, "ann@example.com"));
      assertThat(only(obs, out).getAttributes().get(NOTE)).isEqualTo("ann@example.com");
    }));
    rows.add(new Row("observability.data_privacy.sensitive_fields", Map.of(), """
        observability:
          data_privacy:
            sensitive_fields: [note]
        """, (obs, out) -> {
      oneSpan(obs, Attributes.of(NOTE, "plain words"));
      assertThat(only(obs, out).getAttributes().get(NOTE)).isEqualTo("[REDACTED]");
    }));
    rows.add(new Row("observability.data_privacy.mask_patterns[].regex, .replacement", Map.of(), """
        observability:
          data_privacy:
            mask_patterns:
              - regex: 'ticket-\\d+'
                replacement: '[TICKET]'
        """, (obs, out) -> {
      oneSpan(obs, Attributes.of(NOTE, "see ticket-4711"));
      assertThat(only(obs, out).getAttributes().get(NOTE)).isEqualTo("see [TICKET]");
    }));
    rows.add(new Row("observability.metrics.enabled", Map.of("OTEL_METRICS_EXPORTER", "prometheus"), """
        observability:
          metrics:
            enabled: false
        """, (obs, out) -> assertThat(obs.metricsScrape()).isEmpty()));
    return rows.stream().map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void theSettingActsOnTheSpansAnExporterReceives(Row row) throws Exception {
    Map<String, String> env = new HashMap<>(Map.of("OTEL_METRICS_EXPORTER", "none", "OTEL_LOGS_EXPORTER", "none",
        "OTEL_TRACES_EXPORTER", "none", "OTEL_TRACES_SAMPLER", "always_on", "OTEL_SANITIZE_PII", "true"));
    if (row.key().startsWith("observability.tracing.sampling")) {
      env.remove("OTEL_TRACES_SAMPLER");
    }
    env.putAll(row.env());
    Path yaml = null;
    if (row.yaml() != null) {
      yaml = tmp.resolve("observability.yaml");
      Files.writeString(yaml, row.yaml());
    }
    Batches out = new Batches();
    Observability obs = Observability.builder(ObservabilityConfigLoader.load(env, yaml)).addSpanExporter("audit", out)
        .build();
    try {
      row.act().accept(obs, out);
    } finally {
      out.shutdown();
      obs.shutdown();
    }
  }
}
