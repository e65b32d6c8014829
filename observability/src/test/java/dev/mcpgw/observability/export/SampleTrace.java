package dev.mcpgw.observability.export;

import dev.mcpgw.observability.Observability;
import dev.mcpgw.observability.config.ObservabilityConfigLoader;
import dev.mcpgw.observability.export.resilient.ResilienceConfig;
import dev.mcpgw.observability.export.resilient.ResilientSpanExporter;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A small trace made through the product pipeline (configuration loader, facade, sampler, sanitiser, batch
 * processor, exporter registry, resilient export), with known names, kinds, attributes, an event and an error
 * status, so end-to-end tests can compare what a real receiver got field by field.
 *
 * @param traceId the trace id
 * @param rootId the SERVER span's id
 * @param forwardId the CLIENT child's id
 * @param lookupId the INTERNAL child's id
 */
record SampleTrace(String traceId, String rootId, String forwardId, String lookupId) {

  static final String ROOT = "tools/call echo";
  static final String FORWARD = "gateway.forward";
  static final String LOOKUP = "tool.lookup";
  static final AttributeKey<String> METHOD = AttributeKey.stringKey("mcp.method.name");
  static final AttributeKey<String> TOOL = AttributeKey.stringKey("gen_ai.tool.name");
  static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("mcpgw.attempt");
  static final AttributeKey<Boolean> CACHED = AttributeKey.booleanKey("mcpgw.cached");
  static final AttributeKey<Double> RATIO = AttributeKey.doubleKey("mcpgw.ratio");
  static final AttributeKey<List<String>> TAGS = AttributeKey.stringArrayKey("mcpgw.tags");

  /** The environment every test starts from: fast batches, no metrics or logs export. */
  static Map<String, String> env(String serviceName, String... pairs) {
    Map<String, String> env = new HashMap<>(Map.of(
        "OTEL_SERVICE_NAME", serviceName,
        "OTEL_RESOURCE_ATTRIBUTES", "deployment.environment=e2e,team=observability",
        "OTEL_BSP_SCHEDULE_DELAY", "100",
        "OTEL_METRICS_EXPORTER", "none",
        "OTEL_LOGS_EXPORTER", "none"));
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  /** The facade as the gateway builds it, each exporter wrapped in resilient export buffering under {@code dir}. */
  static Observability start(Map<String, String> env, Path bufferDir) {
    ResilienceConfig resilience = ResilienceConfig.builder(bufferDir).fileAge(Duration.ofMillis(500))
        .openDuration(Duration.ofSeconds(1)).replayInterval(Duration.ofMillis(100)).build();
    return Observability.builder(ObservabilityConfigLoader.load(env, null))
        .exporterDecorator(ResilientSpanExporter.decorator(resilience, MeterProvider::noop))
        .build();
  }

  /** Makes the trace and flushes it. */
  static SampleTrace record(Observability obs) {
    Tracer tracer = obs.tracer();
    Span root = tracer.spanBuilder(ROOT).setSpanKind(SpanKind.SERVER)
        .setAttribute(METHOD, "tools/call").setAttribute(TOOL, "echo").startSpan();
    String forwardId;
    String lookupId;
    try (Scope ignored = root.makeCurrent()) {
      Span lookup = tracer.spanBuilder(LOOKUP).setSpanKind(SpanKind.INTERNAL)
          .setAttribute(CACHED, true).setAttribute(RATIO, 0.25).setAttribute(TAGS, List.of("a", "b")).startSpan();
      lookup.addEvent("cache.miss", Attributes.of(TOOL, "echo"));
      lookup.end();
      lookupId = lookup.getSpanContext().getSpanId();
      Span forward = tracer.spanBuilder(FORWARD).setSpanKind(SpanKind.CLIENT).setAttribute(ATTEMPT, 2L).startSpan();
      forward.setStatus(StatusCode.ERROR, "upstream failed");
      forward.end();
      forwardId = forward.getSpanContext().getSpanId();
    } finally {
      root.end();
    }
    obs.forceFlush(Duration.ofSeconds(20));
    return new SampleTrace(root.getSpanContext().getTraceId(), root.getSpanContext().getSpanId(), forwardId,
        lookupId);
  }
}
