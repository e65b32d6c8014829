package dev.mcpgw.gateway.trace;

import org.awaitility.Awaitility;

import dev.mcpgw.observability.Observability;
import dev.mcpgw.observability.config.ObservabilityConfigLoader;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A real observability pipeline (100% sampling, W3C propagators) whose spans land in the SDK's in-memory exporter,
 * for span-shape tests; other exporters (a throwing one) can be added beside it.
 */
public final class RecordingTracing implements AutoCloseable {
  private final InMemorySpanExporter memory = InMemorySpanExporter.create();
  private final Observability observability;

  private RecordingTracing(Map<String, String> env, List<SpanExporter> extra) {
    Map<String, String> all = new HashMap<>(Map.of("OTEL_TRACES_EXPORTER", "none", "OTEL_METRICS_EXPORTER", "none",
        "OTEL_LOGS_EXPORTER", "none", "OTEL_TRACES_SAMPLER", "always_on"));
    all.putAll(env);
    Observability.Builder builder = Observability.builder(ObservabilityConfigLoader.load(all, null))
        .addSpanExporter("memory", memory);
    for (int i = 0; i < extra.size(); i++) {
      builder.addSpanExporter("extra-" + i, extra.get(i));
    }
    this.observability = builder.build();
  }

  public static RecordingTracing start() {
    return new RecordingTracing(Map.of(), List.of());
  }

  public static RecordingTracing start(Map<String, String> env, SpanExporter... extra) {
    return new RecordingTracing(env, List.of(extra));
  }

  public Observability observability() {
    return observability;
  }

  /** Every span finished so far (flushed first). */
  public List<SpanData> spans() {
    observability.forceFlush(Duration.ofSeconds(10));
    return memory.getFinishedSpanItems();
  }

  /** Waits until a finished span matches, and returns it. */
  public SpanData await(Predicate<SpanData> which) {
    SpanData[] found = new SpanData[1];
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
      found[0] = spans().stream().filter(which).findFirst().orElse(null);
      return found[0] != null;
    });
    return found[0];
  }

  /** Waits for the span called {@code name} of kind {@code kind}. */
  public SpanData await(String name, SpanKind kind) {
    return await(s -> s.getName().equals(name) && s.getKind() == kind);
  }

  /** The finished spans of one trace. */
  public List<SpanData> trace(String traceId) {
    return spans().stream().filter(s -> s.getTraceId().equals(traceId)).toList();
  }

  /** The finished children of {@code parent}. */
  public List<SpanData> children(SpanData parent) {
    return spans().stream().filter(s -> s.getParentSpanId().equals(parent.getSpanId())
        && s.getTraceId().equals(parent.getTraceId())).toList();
  }

  public void reset() {
    observability.forceFlush(Duration.ofSeconds(10));
    memory.reset();
  }

  @Override
  public void close() {
    observability.shutdown();
  }
}
