package dev.mcpgw.observability.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.mcpgw.observability.Observability;
import dev.mcpgw.observability.testing.OtlpReceiver;
import dev.mcpgw.observability.testing.OtlpReceiver.Received;
import dev.mcpgw.observability.testing.TestCertificates;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * OTLP export end to end: the facade built from OTEL_* variables sends to an in-test OTLP receiver over gRPC and
 * HTTP/protobuf, plain and TLS with a test CA (and mutual TLS); what arrives is decoded with the official proto
 * classes and checked field by field.
 */
class OtlpExportEndToEndTest {

  @TempDir
  static Path certDir;

  @TempDir
  Path bufferDir;

  private static TestCertificates certs;
  private static TestCertificates otherCa;
  private static OtlpReceiver plain;
  private static OtlpReceiver mutualTls;

  @BeforeAll
  static void startReceivers() {
    certs = TestCertificates.create(certDir, "good");
    otherCa = TestCertificates.create(certDir, "other");
    plain = OtlpReceiver.plain();
    mutualTls = OtlpReceiver.tls(certs, true);
  }

  @AfterAll
  static void stopReceivers() {
    plain.close();
    mutualTls.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"grpc", "http/protobuf"})
  void sendsTheTraceWithResourceNamesKindsAttributesEventsStatusParentsAndAuthHeaders(String protocol) {
    plain.clear();
    SampleTrace trace;
    try (Observability obs = SampleTrace.start(SampleTrace.env("e2e-" + protocol.replace('/', '-'),
        "OTEL_EXPORTER_OTLP_ENDPOINT", plain.endpoint(),
        "OTEL_EXPORTER_OTLP_PROTOCOL", protocol,
        "OTEL_EXPORTER_OTLP_HEADERS", "x-api-key=k-12345,x-tenant=acme"), bufferDir)) {
      trace = SampleTrace.record(obs);
      obs.forceFlush(Duration.ofSeconds(20));
      if (protocol.equals("http/protobuf")) {
        assertThat(Thread.getAllStackTraces().keySet()).as("the gateway's own sender (ADR 0036) sent it")
            .anySatisfy(t -> assertThat(t.getName()).isEqualTo("mcpgw-otlp-sender"));
      }
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> plain.spans().size() >= 3);
    Received request = plain.traceRequests().get(0);
    assertThat(request.grpc()).isEqualTo(protocol.equals("grpc"));
    assertThat(request.header("content-type")).startsWith(protocol.equals("grpc") ? "application/grpc"
        : "application/x-protobuf");
    assertThat(request.header("x-api-key")).isEqualTo("k-12345");
    assertThat(request.header("x-tenant")).isEqualTo("acme");
    checkTrace(plain.traceRequests(), "e2e-" + protocol.replace('/', '-'), trace);
  }

  @ParameterizedTest
  @ValueSource(strings = {"grpc", "http/protobuf"})
  void exportsOverMutualTlsTrustingTheTestCa(String protocol) {
    mutualTls.clear();
    SampleTrace trace;
    try (Observability obs = SampleTrace.start(SampleTrace.env("tls-" + protocol.replace('/', '-'),
        "OTEL_EXPORTER_OTLP_ENDPOINT", mutualTls.endpoint(),
        "OTEL_EXPORTER_OTLP_PROTOCOL", protocol,
        "OTEL_EXPORTER_OTLP_CERTIFICATE", certs.caPem().toString(),
        "OTEL_EXPORTER_OTLP_CLIENT_KEY", certs.clientKeyPem().toString(),
        "OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE", certs.clientCertPem().toString()), bufferDir)) {
      trace = SampleTrace.record(obs);
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> mutualTls.spans().size() >= 3);
    checkTrace(mutualTls.traceRequests(), "tls-" + protocol.replace('/', '-'), trace);
  }

  @Test
  void aServerCertificateFromAnotherCaFailsCleanlyWithoutReachingTheCaller() {
    mutualTls.clear();
    assertThatCode(() -> {
      try (Observability obs = SampleTrace.start(SampleTrace.env("wrong-ca",
          "OTEL_EXPORTER_OTLP_ENDPOINT", mutualTls.endpoint(),
          "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
          "OTEL_EXPORTER_OTLP_CERTIFICATE", otherCa.caPem().toString(),
          "OTEL_EXPORTER_OTLP_CLIENT_KEY", certs.clientKeyPem().toString(),
          "OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE", certs.clientCertPem().toString()), bufferDir)) {
        SampleTrace.record(obs);
      }
    }).doesNotThrowAnyException();
    assertThat(mutualTls.received()).isEmpty();
  }

  @Test
  void aClientWithoutCertificateIsRefusedByMutualTlsWithoutReachingTheCaller() {
    mutualTls.clear();
    assertThatCode(() -> {
      try (Observability obs = SampleTrace.start(SampleTrace.env("no-client-cert",
          "OTEL_EXPORTER_OTLP_ENDPOINT", mutualTls.endpoint(),
          "OTEL_EXPORTER_OTLP_PROTOCOL", "grpc",
          "OTEL_EXPORTER_OTLP_CERTIFICATE", certs.caPem().toString()), bufferDir)) {
        SampleTrace.record(obs);
      }
    }).doesNotThrowAnyException();
    assertThat(mutualTls.received()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"grpc", "http/protobuf"})
  void metricsAndLogRecordsReachTheirOtlpEndpointsToo(String protocol) {
    plain.clear();
    Map<String, String> env = new java.util.HashMap<>(SampleTrace.env("signals",
        "OTEL_EXPORTER_OTLP_ENDPOINT", plain.endpoint(),
        "OTEL_EXPORTER_OTLP_PROTOCOL", protocol,
        "OTEL_EXPORTER_OTLP_HEADERS", "x-api-key=k-12345"));
    env.put("OTEL_METRICS_EXPORTER", "otlp");
    env.put("OTEL_LOGS_EXPORTER", "otlp");
    try (Observability obs = SampleTrace.start(env, bufferDir)) {
      obs.meter().counterBuilder("mcpgw.test.calls").build().add(3);
      obs.openTelemetry().getLogsBridge().get("e2e").logRecordBuilder().setBody("hello from the gateway").emit();
      obs.forceFlush(Duration.ofSeconds(20));
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> plain.received().stream().map(Received::signal)
        .collect(Collectors.toSet()).containsAll(List.of("metrics", "logs")));
    assertThat(plain.received()).allSatisfy(r -> {
      assertThat(r.grpc()).isEqualTo(protocol.equals("grpc"));
      assertThat(r.header("x-api-key")).isEqualTo("k-12345");
    });
    assertThat(plain.received().stream().filter(r -> r.signal().equals("metrics"))
        .map(r -> (io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest) r.body())
        .flatMap(m -> m.getResourceMetricsList().stream()).flatMap(rm -> rm.getScopeMetricsList().stream())
        .flatMap(sm -> sm.getMetricsList().stream()))
        .anySatisfy(metric -> {
          assertThat(metric.getName()).isEqualTo("mcpgw.test.calls");
          assertThat(metric.getSum().getDataPoints(0).getAsInt()).isEqualTo(3);
        });
    assertThat(plain.received().stream().filter(r -> r.signal().equals("logs"))
        .map(r -> (io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest) r.body())
        .flatMap(l -> l.getResourceLogsList().stream()).flatMap(rl -> rl.getScopeLogsList().stream())
        .flatMap(sl -> sl.getLogRecordsList().stream()))
        .anySatisfy(log -> assertThat(log.getBody().getStringValue()).isEqualTo("hello from the gateway"));
  }

  /** The trace's spans may arrive in more than one request when a batch boundary falls between them. */
  private static void checkTrace(List<Received> requests, String service, SampleTrace trace) {
    ResourceSpans resourceSpans = requests.get(0).traces().getResourceSpans(0);
    Map<String, AnyValue> resource = attributes(resourceSpans.getResource().getAttributesList());
    assertThat(resource.get("service.name").getStringValue()).isEqualTo(service);
    assertThat(resource.get("deployment.environment").getStringValue()).isEqualTo("e2e");
    assertThat(resource.get("team").getStringValue()).isEqualTo("observability");
    assertThat(resource).containsKeys("telemetry.sdk.name", "telemetry.sdk.language");

    Map<String, Span> spans = requests.stream().flatMap(r -> r.traces().getResourceSpansList().stream())
        .flatMap(rs -> rs.getScopeSpansList().stream()).flatMap(s -> s.getSpansList().stream())
        .collect(Collectors.toMap(Span::getName, Function.identity()));
    assertThat(spans).containsOnlyKeys(SampleTrace.ROOT, SampleTrace.FORWARD, SampleTrace.LOOKUP);

    Span root = spans.get(SampleTrace.ROOT);
    assertThat(hex(root.getTraceId())).isEqualTo(trace.traceId());
    assertThat(hex(root.getSpanId())).isEqualTo(trace.rootId());
    assertThat(root.getParentSpanId()).isEqualTo(ByteString.EMPTY);
    assertThat(root.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
    assertThat(attributes(root.getAttributesList()).get("mcp.method.name").getStringValue()).isEqualTo("tools/call");
    assertThat(attributes(root.getAttributesList()).get("gen_ai.tool.name").getStringValue()).isEqualTo("echo");
    assertThat(root.getEndTimeUnixNano()).isGreaterThanOrEqualTo(root.getStartTimeUnixNano());
    assertThat(root.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_UNSET);

    Span forward = spans.get(SampleTrace.FORWARD);
    assertThat(hex(forward.getTraceId())).isEqualTo(trace.traceId());
    assertThat(hex(forward.getSpanId())).isEqualTo(trace.forwardId());
    assertThat(hex(forward.getParentSpanId())).isEqualTo(trace.rootId());
    assertThat(forward.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
    assertThat(attributes(forward.getAttributesList()).get("mcpgw.attempt").getIntValue()).isEqualTo(2);
    assertThat(forward.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
    assertThat(forward.getStatus().getMessage()).isEqualTo("upstream failed");

    Span lookup = spans.get(SampleTrace.LOOKUP);
    assertThat(hex(lookup.getSpanId())).isEqualTo(trace.lookupId());
    assertThat(hex(lookup.getParentSpanId())).isEqualTo(trace.rootId());
    assertThat(lookup.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_INTERNAL);
    Map<String, AnyValue> lookupAttributes = attributes(lookup.getAttributesList());
    assertThat(lookupAttributes.get("mcpgw.cached").getBoolValue()).isTrue();
    assertThat(lookupAttributes.get("mcpgw.ratio").getDoubleValue()).isEqualTo(0.25);
    assertThat(lookupAttributes.get("mcpgw.tags").getArrayValue().getValuesList())
        .extracting(AnyValue::getStringValue).containsExactly("a", "b");
    assertThat(lookup.getEventsList()).singleElement().satisfies(event -> {
      assertThat(event.getName()).isEqualTo("cache.miss");
      assertThat(attributes(event.getAttributesList()).get("gen_ai.tool.name").getStringValue()).isEqualTo("echo");
    });
  }

  private static Map<String, AnyValue> attributes(List<KeyValue> list) {
    return list.stream().collect(Collectors.toMap(KeyValue::getKey, KeyValue::getValue));
  }

  private static String hex(ByteString bytes) {
    return HexFormat.of().formatHex(bytes.toByteArray());
  }
}
