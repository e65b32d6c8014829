package dev.mcpgw.observability.internal.export;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.mcpgw.observability.config.ExporterConfig.Otlp;
import dev.mcpgw.observability.config.ExporterConfig.Type;
import dev.mcpgw.observability.config.ExporterConfig;
import dev.mcpgw.observability.config.ObservabilityConfigLoader;
import dev.mcpgw.observability.export.SpanExporterDecorator;
import dev.mcpgw.observability.testing.JulCapture;
import dev.mcpgw.observability.testing.LogCapture;
import dev.mcpgw.observability.testing.StdoutCapture;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ExporterRegistryTest {

  private static List<SpanData> oneSpan(String name) {
    InMemorySpanExporter memory = InMemorySpanExporter.create();
    try (SdkTracerProvider provider = SdkTracerProvider.builder()
        .addSpanProcessor(SimpleSpanProcessor.create(memory)).build()) {
      Span span = provider.get("mcpgw-test").spanBuilder(name).startSpan();
      span.setAttribute("tool.name", "echo");
      span.end();
      // Read before the provider closes: shutting the in-memory exporter down clears it.
      return memory.getFinishedSpanItems();
    }
  }

  @Test
  void buildsEveryConfiguredExporterInOrder() {
    ExporterConfig config = ExporterConfig.of(Type.OTLP, Type.JAEGER, Type.ZIPKIN, Type.CONSOLE, Type.OTLP_JSON,
        Type.LOGGING_OTLP);
    List<NamedSpanExporter> exporters = ExporterRegistry.createAll(config, SpanExporterDecorator.identity());
    assertThat(exporters).extracting(NamedSpanExporter::name)
        .containsExactly("otlp", "jaeger", "zipkin", "console", "otlp_json", "logging-otlp");
    assertThat(exporters).allSatisfy(e -> assertThat(e.exporter()).isInstanceOf(GuardedSpanExporter.class));
    exporters.forEach(e -> e.exporter().shutdown().join(5, TimeUnit.SECONDS));
  }

  @Test
  void otlpHonoursProtocolEndpointAndNeverShowsHeaderValues() {
    Map<String, String> env = Map.of(
        "OTEL_TRACES_EXPORTER", "otlp",
        "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector.example:4318",
        "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
        "OTEL_EXPORTER_OTLP_HEADERS", "api-key=supersecretvalue",
        "OTEL_EXPORTER_OTLP_COMPRESSION", "gzip");
    ExporterConfig config = ObservabilityConfigLoader.load(env, null).tracing().exporter();
    SpanExporter exporter = ExporterRegistry.build(Type.OTLP, config);
    try {
      assertThat(exporter.toString()).contains("OtlpHttpSpanExporter")
          .contains("http://collector.example:4318/v1/traces").contains("gzip")
          .doesNotContain("supersecretvalue");
      assertThat(config.toString()).doesNotContain("supersecretvalue");
    } finally {
      exporter.shutdown();
    }
    SpanExporter grpc = ExporterRegistry.build(Type.OTLP, ExporterConfig.of(Type.OTLP));
    assertThat(grpc.toString()).contains("OtlpGrpcSpanExporter").contains("localhost:4317");
    grpc.shutdown();
  }

  @Test
  void httpEndpointAppendsTracesPathOnlyToGenericEndpoints() {
    Otlp generic = Otlp.defaults().withEndpoint("http://c:4318/", Otlp.HTTP_PROTOBUF);
    assertThat(OtlpSpanExporters.httpEndpoint(generic)).isEqualTo("http://c:4318/v1/traces");
    Otlp prefixed = Otlp.defaults().withEndpoint("http://c:4318/otlp", Otlp.HTTP_PROTOBUF);
    assertThat(OtlpSpanExporters.httpEndpoint(prefixed)).isEqualTo("http://c:4318/otlp/v1/traces");
    Otlp already = Otlp.defaults().withEndpoint("http://c:4318/v1/traces", Otlp.HTTP_PROTOBUF);
    assertThat(OtlpSpanExporters.httpEndpoint(already)).isEqualTo("http://c:4318/v1/traces");
    Otlp specific = new Otlp("http://c/custom", true, Otlp.HTTP_PROTOBUF, Map.of(), false, "", "", "",
        Duration.ofSeconds(1), "none");
    assertThat(OtlpSpanExporters.httpEndpoint(specific)).isEqualTo("http://c/custom");
    assertThat(OtlpSpanExporters.httpEndpoint(Otlp.defaults())).isEqualTo("http://localhost:4318/v1/traces");
  }

  @Test
  void exporterThatCannotStartIsLoggedOnceAndSkipped() {
    Otlp badTls = Otlp.defaults().withHeaders(Map.of("authorization", "Bearer dontlogme"))
        .withTls("/nonexistent/ca.pem", "", "");
    ExporterConfig config = new ExporterConfig(List.of(Type.OTLP, Type.CONSOLE), badTls,
        ExporterConfig.DEFAULT_JAEGER_ENDPOINT, ExporterConfig.DEFAULT_ZIPKIN_ENDPOINT);
    try (LogCapture log = LogCapture.of(ExporterRegistry.class)) {
      List<NamedSpanExporter> exporters = ExporterRegistry.createAll(config, SpanExporterDecorator.identity());
      assertThat(exporters).extracting(NamedSpanExporter::name).containsExactly("console");
      assertThat(log.lines(Level.ERROR)).singleElement().asString()
          .contains("'otlp'").contains("/nonexistent/ca.pem").contains("skipped");
      assertThat(log.all()).doesNotContain("dontlogme");
    }
  }

  @Test
  void jaegerSendsOtlpAndWarnsOnceAboutALegacyEndpoint() {
    ExporterConfig config = ExporterConfig.of(Type.JAEGER).withJaegerEndpoint("http://jaeger:14268/api/traces");
    try (LogCapture log = LogCapture.of(ExporterRegistry.class)) {
      SpanExporter exporter = ExporterRegistry.build(Type.JAEGER, config);
      assertThat(exporter.toString()).contains("OtlpGrpcSpanExporter").contains("http://jaeger:4317");
      exporter.shutdown();
      assertThat(log.lines(Level.WARN)).singleElement().asString()
          .contains("legacy").contains("http://jaeger:4317").contains("OTEL_EXPORTER_JAEGER_ENDPOINT");
    }
    try (LogCapture log = LogCapture.of(ExporterRegistry.class)) {
      SpanExporter http = ExporterRegistry.build(Type.JAEGER,
          ExporterConfig.of(Type.JAEGER).withJaegerEndpoint("http://jaeger:4318"));
      assertThat(http.toString()).contains("OtlpHttpSpanExporter").contains("http://jaeger:4318/v1/traces");
      http.shutdown();
      assertThat(log.lines(Level.WARN)).isEmpty();
    }
  }

  @Test
  void zipkinFollowsTheCompressionSettingWhoseDefaultIsNone() throws Exception {
    List<String> encodings = new java.util.concurrent.CopyOnWriteArrayList<>();
    com.sun.net.httpserver.HttpServer zipkin = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    zipkin.createContext("/api/v2/spans", ex -> {
      ex.getRequestBody().readAllBytes();
      encodings.add(String.valueOf(ex.getRequestHeaders().getFirst("Content-Encoding")));
      ex.sendResponseHeaders(202, -1);
      ex.close();
    });
    zipkin.start();
    try {
      String endpoint = "http://127.0.0.1:" + zipkin.getAddress().getPort() + "/api/v2/spans";
      for (String compression : new String[] {null, "gzip"}) {
        Map<String, String> env = new java.util.HashMap<>(Map.of("OTEL_TRACES_EXPORTER", "zipkin",
            "OTEL_EXPORTER_ZIPKIN_ENDPOINT", endpoint));
        if (compression != null) {
          env.put("OTEL_EXPORTER_OTLP_COMPRESSION", compression);
        }
        SpanExporter exporter = ExporterRegistry.build(Type.ZIPKIN,
            ObservabilityConfigLoader.load(env, null).tracing().exporter());
        try {
          assertThat(exporter.export(oneSpan("zipped")).join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
        } finally {
          exporter.shutdown().join(10, TimeUnit.SECONDS);
        }
      }
      assertThat(encodings).as("default none, then gzip when asked").containsExactly("null", "gzip");
    } finally {
      zipkin.stop(0);
    }
  }

  @Test
  void jaegerEndpointsAreClassified() {
    assertThat(JaegerEndpoint.resolve("udp://agent:6831").legacy()).isTrue();
    assertThat(JaegerEndpoint.resolve("http://jaeger:14250").url()).isEqualTo("http://jaeger:4317");
    assertThat(JaegerEndpoint.resolve("https://jaeger.example:4317")).isEqualTo(
        new JaegerEndpoint("https://jaeger.example:4317", "grpc", false));
    assertThat(JaegerEndpoint.resolve("http://jaeger:4318/v1/traces").protocol()).isEqualTo("http/protobuf");
  }

  @Test
  void consoleExporterWritesReadableLines() {
    JulCapture jul = JulCapture.of("io.opentelemetry.exporter.logging.LoggingSpanExporter");
    try {
      SpanExporter console = ExporterRegistry.build(Type.CONSOLE, ExporterConfig.of(Type.CONSOLE));
      assertThat(console.export(oneSpan("tools/call echo")).join(5, TimeUnit.SECONDS).isSuccess()).isTrue();
    } finally {
      jul.close();
    }
    assertThat(jul.lines()).singleElement().asString().contains("'tools/call echo'").contains("tool.name=echo")
        .contains("INTERNAL");
  }

  @Test
  void otlpJsonExporterWritesOtlpJsonToStandardOutput() {
    String out;
    try (StdoutCapture stdout = StdoutCapture.start()) {
      SpanExporter json = ExporterRegistry.build(Type.OTLP_JSON, ExporterConfig.of(Type.OTLP_JSON));
      json.export(oneSpan("tools/call echo")).join(5, TimeUnit.SECONDS);
      json.flush();
      out = stdout.text();
    }
    assertThat(out).contains("\"resourceSpans\"").contains("\"name\":\"tools/call echo\"").contains("tool.name");
  }

  @Test
  void decoratorWrapsEachExporterAndAThrowingDecoratorFallsBackToTheRawOne() {
    List<String> decorated = new ArrayList<>();
    SpanExporterDecorator recording = (name, exporter) -> {
      decorated.add(name);
      if (name.equals("console")) {
        throw new IllegalStateException("cannot wrap");
      }
      return exporter;
    };
    List<NamedSpanExporter> exporters = ExporterRegistry.createAll(
        ExporterConfig.of(Type.LOGGING_OTLP, Type.CONSOLE), recording);
    assertThat(decorated).containsExactly("logging-otlp", "console");
    assertThat(exporters).hasSize(2);
  }

  @Test
  void noConfiguredTypesGiveANoopComposite() {
    SpanExporter none = ExporterRegistry.create(ExporterConfig.of());
    assertThat(none.export(oneSpan("x")).isSuccess()).isTrue();
  }
}
