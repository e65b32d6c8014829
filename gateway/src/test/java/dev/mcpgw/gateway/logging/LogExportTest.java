package dev.mcpgw.gateway.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mcpgw.observability.Observability;
import dev.mcpgw.observability.config.ObservabilityConfigLoader;
import dev.mcpgw.observability.testing.OtlpReceiver;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * With {@code OTEL_LOGS_EXPORTER=otlp}, the gateway's log lines reach a real OTLP receiver as log records carrying
 * the JSON line's fields: trace and span ids, request, user and tenant ids, the redacted message.
 */
class LogExportTest {
  @Test
  void aLogLineInsideARequestIsExportedWithItsTraceAndRequestIdsAndNoSecret() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.plain();
        Observability observability = Observability.create(ObservabilityConfigLoader.load(Map.of(
            "OTEL_TRACES_EXPORTER", "none", "OTEL_METRICS_EXPORTER", "none", "OTEL_LOGS_EXPORTER", "otlp",
            "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf", "OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint(),
            "OTEL_BLRP_SCHEDULE_DELAY", "10"), null))) {
      AutoCloseable bridge = LogSetup.exportTo(observability);
      Span span = observability.tracer().spanBuilder("test").startSpan();
      try (Scope ignored = span.makeCurrent()) {
        MDC.put("request_id", "export-1");
        MDC.put("user_id", "alice");
        MDC.put("tenant_id", "acme");
        LoggerFactory.getLogger("dev.mcpgw.logging.export").warn("upstream refused password=hunter2");
      } finally {
        MDC.clear();
        span.end();
      }
      bridge.close();
      LoggerFactory.getLogger("dev.mcpgw.logging.export").warn("after the bridge closed");
      observability.forceFlush(Duration.ofSeconds(10));

      await().atMost(Duration.ofSeconds(10)).until(() -> !records(receiver).isEmpty());
      List<LogRecord> records = records(receiver);
      assertThat(records).hasSize(1);
      LogRecord record = records.getFirst();
      assertThat(record.getBody().getStringValue()).isEqualTo("upstream refused password=****");
      assertThat(record.getSeverityText()).isEqualTo("WARN");
      assertThat(HexFormat.of().formatHex(record.getTraceId().toByteArray()))
          .isEqualTo(span.getSpanContext().getTraceId());
      assertThat(HexFormat.of().formatHex(record.getSpanId().toByteArray()))
          .isEqualTo(span.getSpanContext().getSpanId());
      assertThat(attributes(record)).containsEntry("request.id", "export-1").containsEntry("user.id", "alice")
          .containsEntry("tenant.id", "acme");
    }
  }

  @Test
  void nothingIsBridgedWhenNoLogsExporterIsOn() throws Exception {
    try (Observability observability = Observability.create(ObservabilityConfigLoader.load(Map.of(
        "OTEL_TRACES_EXPORTER", "none", "OTEL_METRICS_EXPORTER", "none", "OTEL_LOGS_EXPORTER", "none"), null))) {
      ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("ROOT");
      LogSetup.exportTo(observability);
      assertThat(root.getAppender("OTLP")).isNull();
    }
  }

  private static List<LogRecord> records(OtlpReceiver receiver) {
    return receiver.received().stream().filter(r -> r.signal().equals("logs"))
        .flatMap(r -> ((ExportLogsServiceRequest) r.body()).getResourceLogsList().stream())
        .flatMap(rl -> rl.getScopeLogsList().stream())
        .filter(sl -> sl.getScope().getName().equals("dev.mcpgw.logging.export"))
        .map(ScopeLogs::getLogRecordsList).flatMap(List::stream).toList();
  }

  private static Map<String, String> attributes(LogRecord record) {
    return record.getAttributesList().stream()
        .collect(java.util.stream.Collectors.toMap(KeyValue::getKey, kv -> kv.getValue().getStringValue()));
  }
}
