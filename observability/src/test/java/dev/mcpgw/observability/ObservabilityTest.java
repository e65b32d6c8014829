package dev.mcpgw.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import dev.mcpgw.observability.config.ObservabilityConfig;
import dev.mcpgw.observability.config.ObservabilityConfigLoader;
import dev.mcpgw.observability.export.resilient.ResilienceConfig;
import dev.mcpgw.observability.testing.JulCapture;
import dev.mcpgw.observability.testing.LogCapture;
import dev.mcpgw.observability.testing.StdoutCapture;
import dev.mcpgw.observability.testing.ThrowingSpanExporter;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ObservabilityTest {

  private static final Attributes TOOL = Attributes.of(AttributeKey.stringKey("tool.name"), "echo");
  private final InMemorySpanExporter memory = InMemorySpanExporter.create();
  private Observability observability;

  @AfterEach
  void shutdown() {
    if (observability != null) {
      observability.shutdown();
    }
  }

  private Observability start(Map<String, String> env) {
    Map<String, String> withDefaults = new HashMap<>(Map.of("OTEL_METRICS_EXPORTER", "none"));
    withDefaults.putAll(env);
    observability = Observability.builder(ObservabilityConfigLoader.load(withDefaults, null))
        .addSpanExporter("memory", memory).build();
    return observability;
  }

  private List<SpanData> spans() {
    assertThat(observability.forceFlush(Duration.ofSeconds(10))).isTrue();
    return memory.getFinishedSpanItems();
  }

  private static SpanData named(List<SpanData> spans, String name) {
    return spans.stream().filter(s -> s.getName().equals(name)).findFirst().orElseThrow();
  }

  private String scrape() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    observability.metricsScrape().orElseThrow().writeTo(out);
    return out.toString(StandardCharsets.UTF_8);
  }

  /** Flushes and scrapes until the Prometheus text matches {@code regex}. */
  private void awaitInScrape(String regex) {
    Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      observability.forceFlush(Duration.ofSeconds(5));
      assertThat(scrape()).containsPattern(regex);
    });
  }

  /**
   * Flushes until the span arrives: the batch processor may answer a flush with the result of one already under
   * way, so a single flush does not guarantee that a just-ended span was exported.
   */
  private SpanData awaitSpan(String name) {
    return Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
      observability.forceFlush(Duration.ofSeconds(5));
      return memory.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).findFirst();
    }, java.util.Optional::isPresent).orElseThrow();
  }

  @Test
  void traceRecordsAnInternalSpanWithAttributesAndNestsChildren() {
    Observability obs = start(Map.of());
    String result = obs.trace("tool.invoke", TOOL, () -> {
      obs.setAttribute("user.id", "user123");
      obs.addEvent("tool.execution.started", Attributes.of(AttributeKey.stringKey("tool.type"), "rest"));
      return obs.trace("gateway.forward", Attributes.empty(), () -> "ok");
    });
    assertThat(result).isEqualTo("ok");

    SpanData parent = awaitSpan("tool.invoke");
    SpanData child = awaitSpan("gateway.forward");
    assertThat(parent.getKind()).isEqualTo(SpanKind.INTERNAL);
    assertThat(parent.getAttributes().get(AttributeKey.stringKey("tool.name"))).isEqualTo("echo");
    assertThat(parent.getAttributes().get(AttributeKey.stringKey("user.id"))).isEqualTo("user123");
    assertThat(parent.getEvents()).extracting(EventData::getName).containsExactly("tool.execution.started");
    assertThat(parent.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(parent.getInstrumentationScopeInfo().getName()).isEqualTo("dev.mcpgw");
    assertThat(child.getParentSpanId()).isEqualTo(parent.getSpanId());
    assertThat(child.getTraceId()).isEqualTo(parent.getTraceId());
  }

  @Test
  void traceRecordsAFailureAndRethrowsTheSameException() {
    Observability obs = start(Map.of());
    IllegalStateException boom = new IllegalStateException("upstream refused");
    assertThatThrownBy(() -> obs.trace("tool.invoke", TOOL, () -> {
      throw boom;
    })).isSameAs(boom);

    SpanData span = awaitSpan("tool.invoke");
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(span.getStatus().getDescription()).isEqualTo("upstream refused");
    assertThat(span.getAttributes().get(AttributeKey.stringKey("error.type")))
        .isEqualTo(IllegalStateException.class.getName());
    assertThat(span.getEvents()).extracting(EventData::getName).containsExactly("exception");
  }

  @Test
  void traceCallablePropagatesCheckedExceptions() {
    Observability obs = start(Map.of());
    assertThatThrownBy(() -> obs.traceCallable("resource.read", Attributes.empty(), () -> {
      throw new IOException("disk gone");
    })).isInstanceOf(IOException.class).hasMessage("disk gone");
    assertThat(awaitSpan("resource.read").getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
  }

  @Test
  void traceAsyncEndsTheSpanWhenTheFutureCompletes() {
    Observability obs = start(Map.of());
    CompletableFuture<String> upstream = new CompletableFuture<>();
    CompletableFuture<String> traced = obs.traceAsync("tool.invoke", TOOL, () -> {
      obs.trace("tool.lookup", Attributes.empty(), () -> 1);
      return upstream;
    });
    awaitSpan("tool.lookup");
    assertThat(spans()).extracting(SpanData::getName).containsExactly("tool.lookup");

    upstream.complete("done");
    assertThat(traced.join()).isEqualTo("done");
    SpanData invoke = awaitSpan("tool.invoke");
    assertThat(awaitSpan("tool.lookup").getParentSpanId()).isEqualTo(invoke.getSpanId());
    assertThat(invoke.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(invoke.hasEnded()).isTrue();
  }

  @Test
  void traceAsyncRecordsAFailedFutureWithTheUnwrappedCause() {
    Observability obs = start(Map.of());
    CompletableFuture<String> traced = obs.traceAsync("tool.invoke", TOOL,
        () -> CompletableFuture.supplyAsync(() -> {
          throw new IllegalArgumentException("bad arguments");
        }));
    assertThatThrownBy(traced::join).isInstanceOf(CompletionException.class)
        .hasRootCauseInstanceOf(IllegalArgumentException.class);
    SpanData span = awaitSpan("tool.invoke");
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(span.getAttributes().get(AttributeKey.stringKey("error.type")))
        .isEqualTo(IllegalArgumentException.class.getName());
    assertThat(span.getEvents().get(0).getAttributes().get(AttributeKey.stringKey("exception.message")))
        .isEqualTo("bad arguments");
  }

  @Test
  void spanScopeIsCurrentUntilClosedAndRecordsExceptions() {
    Observability obs = start(Map.of());
    String traceId;
    try (SpanScope scope = obs.span("tools/call echo", SpanKind.SERVER, TOOL)) {
      traceId = Span.current().getSpanContext().getTraceId();
      assertThat(scope.span().getSpanContext().getTraceId()).isEqualTo(traceId);
      obs.recordException(new RuntimeException("first"));
      scope.recordException(new RuntimeException("second"));
    }
    assertThat(Span.current().getSpanContext().isValid()).isFalse();
    SpanData span = awaitSpan("tools/call echo");
    assertThat(span.getKind()).isEqualTo(SpanKind.SERVER);
    assertThat(span.getTraceId()).isEqualTo(traceId);
    assertThat(span.getEvents()).hasSize(2);
    assertThat(span.getStatus().getDescription()).isEqualTo("second");
  }

  @Test
  void disabledModuleHandsOutNoopObjectsAndStillRunsTheWork() throws Exception {
    Observability obs = Observability.create(ObservabilityConfigLoader.load(
        Map.of("OTEL_ENABLE_OBSERVABILITY", "false", "OTEL_TRACES_EXPORTER", "console"), null));
    assertThat(obs.enabled()).isFalse();
    assertThat(obs.openTelemetry()).isSameAs(OpenTelemetry.noop());
    assertThat(obs.propagator()).isSameAs(TextMapPropagator.noop());
    assertThat(obs.payloads().enabled()).isFalse();
    assertThat(obs.metricsScrape()).isEmpty();
    Span span = obs.tracer().spanBuilder("x").startSpan();
    assertThat(span.isRecording()).isFalse();
    assertThat(span.getSpanContext().isValid()).isFalse();
    assertThat(obs.span("x", TOOL)).isSameAs(obs.span("y", Attributes.empty()));
    assertThat(obs.trace("x", TOOL, () -> 7)).isEqualTo(7);
    assertThat(obs.traceCallable("x", TOOL, () -> 8)).isEqualTo(8);
    assertThat(obs.traceAsync("x", TOOL, () -> CompletableFuture.completedFuture(9)).join()).isEqualTo(9);
    assertThat(Observability.noop().enabled()).isFalse();
    assertThat(Observability.create(ObservabilityConfig.disabled())).isSameAs(Observability.noop());
    assertThatCode(() -> {
      obs.shutdown();
      obs.shutdown();
    }).doesNotThrowAnyException();
  }

  @Test
  void anExporterThatThrowsNeverReachesTheCallerAndOthersStillReceiveSpans() {
    SpanExporter throwing = new ThrowingSpanExporter();
    observability = Observability.builder(ObservabilityConfigLoader.load(Map.of("OTEL_METRICS_EXPORTER", "none"),
        null)).addSpanExporter("broken", throwing).addSpanExporter("memory", memory).build();
    assertThatCode(() -> {
      for (int i = 0; i < 20; i++) {
        observability.trace("tool.invoke", TOOL, () -> "ok");
      }
      observability.forceFlush(Duration.ofSeconds(10));
    }).doesNotThrowAnyException();
    Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      observability.forceFlush(Duration.ofSeconds(5));
      assertThat(memory.getFinishedSpanItems()).hasSize(20);
    });
    assertThatCode(() -> observability.shutdown()).doesNotThrowAnyException();
  }

  @Test
  void withoutAnyExporterExactlyOneInfoLineSaysHowToTurnExportOn() {
    try (LogCapture log = LogCapture.of("dev.mcpgw.observability");
        JulCapture sdkLog = JulCapture.of("io.opentelemetry")) {
      observability = Observability.create(ObservabilityConfigLoader.load(Map.of(), null));
      assertThat(log.lines(Level.INFO)).singleElement().asString()
          .contains("not exported").contains("OTEL_EXPORTER_OTLP_ENDPOINT").contains("OTEL_TRACES_EXPORTER");
      assertThat(log.lines(Level.WARN)).isEmpty();
      assertThat(log.lines(Level.ERROR)).isEmpty();
      assertThat(sdkLog.lines()).as("the SDK's own start-up lines").isEmpty();
    }
    assertThat(observability.enabled()).isTrue();
    // Without processors the SDK skips recording, but trace context still exists for propagation.
    assertThat(observability.trace("x", TOOL, () -> Span.current().getSpanContext().isValid())).isTrue();
  }

  @Test
  void exportersThatCannotStartAreSkippedAndTheProcessStarts() {
    try (LogCapture log = LogCapture.of("dev.mcpgw.observability")) {
      Observability obs = start(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:9",
          "OTEL_EXPORTER_OTLP_CERTIFICATE", "/nonexistent/ca.pem", "OTEL_METRICS_EXPORTER", "otlp,prometheus",
          "OTEL_LOGS_EXPORTER", "otlp"));
      assertThat(log.lines(Level.ERROR)).hasSize(3).allSatisfy(line ->
          assertThat(line).contains("'otlp' could not start").contains("/nonexistent/ca.pem"));
      assertThat(obs.metricsScrape()).isPresent();
      obs.trace("still.traced", TOOL, () -> null);
      awaitSpan("still.traced");
    }
  }

  @Test
  void spansAreMaskedBeforeAnyExporterSeesThem() {
    Observability obs = start(Map.of());
    obs.trace("tool.invoke", Attributes.of(AttributeKey.stringKey("gen_ai.tool.call.arguments"),
        "{\"to\":\"jane@example.com\",\"api_key\":\"sk-abcdefghijklmnopqrstuvwx\"}"), () -> {
          obs.recordException(new IllegalStateException("auth failed: Bearer abc123abc123"));
          return null;
        });
    SpanData span = awaitSpan("tool.invoke");
    String all = span.getAttributes() + " " + span.getEvents() + " " + span.getStatus();
    assertThat(all).doesNotContain("jane@example.com", "sk-abcdefghijkl", "abc123abc123").contains("[EMAIL]");
  }

  @Test
  void maskingCanBeSwitchedOff() {
    Observability obs = start(Map.of("OTEL_SANITIZE_PII", "false"));
    obs.trace("x", Attributes.of(AttributeKey.stringKey("note"), "jane@example.com"), () -> null);
    assertThat(awaitSpan("x").getAttributes().get(AttributeKey.stringKey("note"))).isEqualTo("jane@example.com");
  }

  @Test
  void spanLimitsApply() {
    Observability obs = start(Map.of("OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT", "10",
        "OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT", "3", "OTEL_SPAN_EVENT_COUNT_LIMIT", "2"));
    obs.trace("x", Attributes.empty(), () -> {
      obs.setAttribute("long", "0123456789abcdef");
      for (int i = 0; i < 5; i++) {
        obs.setAttribute("k" + i, "v");
        obs.addEvent("e" + i, Attributes.empty());
      }
      return null;
    });
    SpanData span = awaitSpan("x");
    assertThat(span.getAttributes().get(AttributeKey.stringKey("long"))).isEqualTo("0123456789");
    assertThat(span.getAttributes().size()).isEqualTo(3);
    assertThat(span.getEvents()).hasSize(2);
  }

  @Test
  void resourceCarriesServiceIdentityEnvironmentAndDetectedAttributes() {
    Observability obs = start(Map.of("OTEL_SERVICE_NAME", "gw-test", "OTEL_DEPLOYMENT_ENVIRONMENT", "staging",
        "OTEL_RESOURCE_ATTRIBUTES", "tenant.id=acme,region=us-east-1"));
    obs.trace("x", Attributes.empty(), () -> null);
    Attributes resource = awaitSpan("x").getResource().getAttributes();
    assertThat(resource.get(AttributeKey.stringKey("service.name"))).isEqualTo("gw-test");
    assertThat(resource.get(AttributeKey.stringKey("service.version"))).isEqualTo(BuildInfo.VERSION)
        .isNotEqualTo("unknown");
    assertThat(resource.get(AttributeKey.stringKey("deployment.environment.name"))).isEqualTo("staging");
    assertThat(resource.get(AttributeKey.stringKey("tenant.id"))).isEqualTo("acme");
    assertThat(resource.get(AttributeKey.stringKey("host.name"))).isNotBlank();
    assertThat(resource.get(AttributeKey.longKey("process.pid"))).isEqualTo(ProcessHandle.current().pid());
    assertThat(resource.get(AttributeKey.stringKey("process.runtime.name"))).isNotBlank();
    assertThat(resource.get(AttributeKey.stringKey("telemetry.sdk.language"))).isEqualTo("java");
  }

  @Test
  void explicitServiceVersionWins() {
    Observability obs = start(Map.of("OTEL_SERVICE_VERSION", "9.9.9"));
    obs.trace("x", Attributes.empty(), () -> null);
    assertThat(awaitSpan("x").getResource().getAttributes().get(AttributeKey.stringKey("service.version")))
        .isEqualTo("9.9.9");
  }

  @Test
  void configuredSamplerAndPropagatorsAreUsed() {
    Observability obs = start(Map.of("OTEL_TRACES_SAMPLER", "always_off", "OTEL_PROPAGATORS", "b3multi,baggage"));
    obs.trace("dropped", Attributes.empty(), () -> null);
    assertThat(spans()).isEmpty();
    assertThat(obs.propagator().fields()).contains("X-B3-TraceId", "baggage").doesNotContain("traceparent");
  }

  @Test
  void payloadCaptureFollowsTheSwitch() {
    try (Observability off = Observability.create(ObservabilityConfigLoader.load(
        Map.of("OTEL_METRICS_EXPORTER", "none"), null))) {
      assertThat(off.payloads().enabled()).isFalse();
    }
    Observability obs = start(Map.of("OTEL_CAPTURE_PAYLOADS", "true"));
    assertThat(obs.payloads().enabled()).isTrue();
    obs.trace("tool.invoke", Attributes.empty(), () -> {
      obs.payloads().capture(Span.current(), "gen_ai.tool.call.arguments", "{\"password\":\"p\",\"q\":\"x\"}");
      return null;
    });
    assertThat(awaitSpan("tool.invoke").getAttributes()
        .get(AttributeKey.stringKey("gen_ai.tool.call.arguments"))).isEqualTo("{\"password\":\"[REDACTED]\",\"q\":\"x\"}");
  }

  @Test
  void prometheusScrapeShowsGatewayAndJvmMetrics() throws IOException {
    observability = Observability.create(ObservabilityConfigLoader.load(Map.of(), null));
    observability.meter().counterBuilder("mcpgw.tool.invocations").build()
        .add(3, Attributes.of(AttributeKey.stringKey("tool"), "echo"));
    String text = scrape();
    assertThat(observability.metricsScrape().orElseThrow().contentType()).startsWith("text/plain");
    assertThat(text).contains("mcpgw_tool_invocations_total{").contains("tool=\"echo\"").contains("} 3");
    assertThat(text).contains("jvm_memory_used");
  }

  @Test
  void batchProcessorReportsProcessedAndDroppedSpansAsMetrics() throws IOException {
    observability = Observability.builder(ObservabilityConfigLoader.load(Map.of(), null))
        .addSpanExporter("memory", memory).build();
    observability.trace("x", TOOL, () -> null);
    awaitSpan("x");
    assertThat(scrape()).containsPattern("otel_sdk_processor_span_processed_total\\{").contains("otel_sdk_processor_span_queue_capacity");
  }

  @Test
  void exportersReportTheirOwnOutcomesAsMetrics() {
    // Nothing listens on port 9: the export fails, and the exporter counts what it saw and what failed.
    observability = Observability.create(ObservabilityConfigLoader.load(Map.of(
        "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:9", "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
        "OTEL_EXPORTER_OTLP_TIMEOUT", "500", "OTEL_METRICS_EXPORTER", "prometheus"), null));
    observability.trace("x", TOOL, () -> null);
    awaitInScrape("otel_sdk_exporter_span_exported_total\\{[^}]*error_type=");
  }

  @Test
  void canRegisterAsTheGlobalInstanceForInstrumentationLibraries() {
    GlobalOpenTelemetry.resetForTest();
    try {
      observability = Observability.builder(ObservabilityConfigLoader.load(Map.of("OTEL_METRICS_EXPORTER", "none"),
          null)).addSpanExporter("memory", memory).registerGlobal(true).build();
      Span span = GlobalOpenTelemetry.getTracer("jdbc").spanBuilder("SELECT").startSpan();
      span.end();
      assertThat(awaitSpan("SELECT").getInstrumentationScopeInfo().getName()).isEqualTo("jdbc");
    } finally {
      GlobalOpenTelemetry.resetForTest();
    }
  }

  @Test
  void resilientExportWrapsConfiguredExportersAndReportsThroughOurMeters(@TempDir Path bufferDir) {
    // Nothing listens on port 9: the breaker sees failures and the batch goes to the disk buffer.
    observability = Observability.builder(ObservabilityConfigLoader.load(Map.of(
            "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:9", "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
            "OTEL_EXPORTER_OTLP_TIMEOUT", "500", "OTEL_METRICS_EXPORTER", "prometheus"), null))
        .resilientExport(ResilienceConfig.builder(bufferDir).shutdownTimeout(Duration.ofMillis(200)).build())
        .build();
    observability.trace("buffered", TOOL, () -> null);
    awaitInScrape("mcpgw_export_spans_buffered_total\\{[^}]*} [1-9]");
    assertThat(bufferDir.resolve("otlp")).isDirectory();
  }

  @Test
  void shutdownIsIdempotentAndLaterCallsDoNotThrow() {
    Observability obs = start(Map.of());
    obs.shutdown();
    obs.shutdown(Duration.ofMillis(1));
    assertThatCode(() -> obs.trace("after", TOOL, () -> null)).doesNotThrowAnyException();
    assertThat(obs.forceFlush(Duration.ofSeconds(1))).isTrue();
  }

  @Test
  void logsPipelineExportsBridgedLogRecordsWhenTurnedOn() {
    try (StdoutCapture stdout = StdoutCapture.start()) {
      Observability obs = start(Map.of("OTEL_LOGS_EXPORTER", "console"));
      assertThat(obs.config().logs().enabled()).isTrue();
      obs.trace("tool.invoke", TOOL, () -> {
        obs.openTelemetry().getLogsBridge().get("test").logRecordBuilder()
            .setBody("tool invoked").setSeverity(Severity.INFO).emit();
        return null;
      });
      Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        obs.forceFlush(Duration.ofSeconds(5));
        assertThat(stdout.text()).contains("tool invoked");
      });
    }
  }

  @Test
  void logsAreOffByDefault() {
    Observability obs = start(Map.of());
    assertThat(obs.config().logs().enabled()).isFalse();
    assertThat(SdkPipeline.properties(obs.config())).containsEntry("otel.logs.exporter", "none");
  }

  @Test
  void consoleMetricExporterComesFromAutoconfigure() {
    JulCapture jul = JulCapture.of("io.opentelemetry.exporter.logging.LoggingMetricExporter");
    try {
      Observability obs = start(Map.of("OTEL_METRICS_EXPORTER", "console"));
      assertThat(obs.metricsScrape()).isEmpty();
      obs.meter().counterBuilder("mcpgw.requests").build().add(5);
      Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        obs.forceFlush(Duration.ofSeconds(5));
        assertThat(String.join("\n", jul.lines())).contains("mcpgw.requests");
      });
    } finally {
      jul.close();
    }
  }
}
