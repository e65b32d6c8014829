package dev.mcpgw.observability.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mcpgw.observability.Observability;
import dev.mcpgw.observability.config.ObservabilityConfigLoader;
import dev.mcpgw.observability.testing.OtlpReceiver;
import dev.mcpgw.observability.testing.OtlpReceiver.Received;
import dev.mcpgw.observability.testing.TestCertificates;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Metric;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 11's audit of the documented settings, for the keys that act on one signal's export (the
 * {@code OTEL_EXPORTER_OTLP_<SIGNAL>_*} keys, the metric reader's and the log processor's): each row sets its keys,
 * emits the signal through the facade built from {@code OTEL_*} as the gateway builds it, and observes the effect in a
 * real OTLP receiver. Without the row's keys the observation would fail (a dead endpoint, another protocol, no
 * header, no gzip, no TLS material, cumulative sums, explicit histograms, no exemplars, one batch, a 60 s interval).
 */
class SignalSettingsTakeEffectTest {
  @TempDir static Path certDir;
  private static TestCertificates certs;
  private static OtlpReceiver plain;
  private static OtlpReceiver mutualTls;

  @BeforeAll
  static void startReceivers() {
    certs = TestCertificates.create(certDir, "signals");
    plain = OtlpReceiver.plain();
    mutualTls = OtlpReceiver.tls(certs, true);
  }

  @AfterAll
  static void stopReceivers() {
    plain.close();
    mutualTls.close();
  }

  /** One row: the keys it sets (named for the report), the signal it acts on, and what the receiver must show. */
  record Row(String keys, String signal, Map<String, String> env, boolean tls, boolean flush,
      Consumer<List<Received>> check) {
    @Override
    public String toString() {
      return keys;
    }
  }

  static Stream<Arguments> rows() {
    Stream.Builder<Row> rows = Stream.builder();
    for (String signal : List.of("TRACES", "METRICS", "LOGS")) {
      String lower = signal.toLowerCase(Locale.ROOT);
      String prefix = "OTEL_EXPORTER_OTLP_" + signal + "_";
      rows.add(new Row(prefix + "ENDPOINT", lower,
          Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:1", prefix + "ENDPOINT",
              plain.endpoint() + "/v1/" + lower), false, true,
          r -> assertThat(r).isNotEmpty()));
      rows.add(new Row(prefix + "HEADERS", lower, Map.of(prefix + "HEADERS", "x-signal=only-" + lower), false, true,
          r -> assertThat(r).allSatisfy(x -> assertThat(x.header("x-signal")).isEqualTo("only-" + lower))));
      rows.add(new Row(prefix + "PROTOCOL", lower, Map.of(prefix + "PROTOCOL", "grpc"), false, true,
          r -> assertThat(r).allSatisfy(x -> assertThat(x.grpc()).isTrue())));
      rows.add(new Row(prefix + "COMPRESSION", lower, Map.of(prefix + "COMPRESSION", "gzip"), false, true,
          r -> assertThat(r).allSatisfy(x -> assertThat(x.header("content-encoding")).isEqualTo("gzip"))));
      rows.add(new Row(prefix + "CERTIFICATE, " + prefix + "CLIENT_KEY, " + prefix + "CLIENT_CERTIFICATE", lower,
          Map.of(prefix + "CERTIFICATE", certs.caPem().toString(), prefix + "CLIENT_KEY",
              certs.clientKeyPem().toString(), prefix + "CLIENT_CERTIFICATE", certs.clientCertPem().toString()),
          true, true, r -> assertThat(r).isNotEmpty()));
    }
    rows.add(new Row("OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE", "metrics",
        Map.of("OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE", "delta"), false, true,
        r -> assertThat(metric(r, "mcpgw.test.calls").getSum().getAggregationTemporality())
            .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)));
    rows.add(new Row("OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION", "metrics",
        Map.of("OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION", "base2_exponential_bucket_histogram"),
        false, true, r -> assertThat(metric(r, "mcpgw.test.latency").hasExponentialHistogram()).isTrue()));
    rows.add(new Row("OTEL_METRICS_EXEMPLAR_FILTER", "metrics", Map.of("OTEL_METRICS_EXEMPLAR_FILTER", "always_on"),
        false, true, r -> assertThat(metric(r, "mcpgw.test.latency").getHistogram().getDataPoints(0).getExemplarsList())
            .isNotEmpty()));
    rows.add(new Row("OTEL_METRIC_EXPORT_INTERVAL", "metrics", Map.of("OTEL_METRIC_EXPORT_INTERVAL", "200"), false,
        false, r -> assertThat(metric(r, "mcpgw.test.calls").getSum().getDataPoints(0).getAsInt()).isEqualTo(3)));
    rows.add(new Row("OTEL_BLRP_MAX_EXPORT_BATCH_SIZE", "logs", Map.of("OTEL_BLRP_MAX_EXPORT_BATCH_SIZE", "1"), false,
        true, r -> assertThat(r).allSatisfy(x -> assertThat(((ExportLogsServiceRequest) x.body())
            .getResourceLogs(0).getScopeLogs(0).getLogRecordsCount()).isEqualTo(1)).hasSizeGreaterThanOrEqualTo(3)));
    return rows.build().map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void theSettingActsOnItsSignalsExport(Row row) {
    OtlpReceiver receiver = row.tls() ? mutualTls : plain;
    receiver.clear();
    Map<String, String> env = new HashMap<>(Map.of("OTEL_SERVICE_NAME", "signals",
        "OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint(), "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
        "OTEL_BSP_SCHEDULE_DELAY", "100",
        "OTEL_TRACES_EXPORTER", row.signal().equals("traces") ? "otlp" : "none",
        "OTEL_METRICS_EXPORTER", row.signal().equals("metrics") ? "otlp" : "none",
        "OTEL_LOGS_EXPORTER", row.signal().equals("logs") ? "otlp" : "none"));
    env.putAll(row.env());
    Observability obs = Observability.builder(ObservabilityConfigLoader.load(env, null)).build();
    try {
      emit(obs, row.signal());
      if (row.flush()) {
        obs.forceFlush(Duration.ofSeconds(20));
      }
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
        List<Received> got = receiver.received().stream().filter(r -> r.signal().equals(row.signal())).toList();
        assertThat(got).isNotEmpty();
        row.check().accept(got);
      });
    } finally {
      obs.shutdown();
    }
  }

  private static void emit(Observability obs, String signal) {
    switch (signal) {
      case "traces" -> obs.tracer().spanBuilder("audit").startSpan().end();
      case "metrics" -> {
        obs.meter().counterBuilder("mcpgw.test.calls").build().add(3);
        obs.meter().histogramBuilder("mcpgw.test.latency").build().record(1.5);
      }
      default -> {
        for (int i = 0; i < 3; i++) {
          obs.openTelemetry().getLogsBridge().get("audit").logRecordBuilder().setBody("record " + i).emit();
        }
      }
    }
  }

  private static Metric metric(List<Received> received, String name) {
    return received.stream().map(r -> (ExportMetricsServiceRequest) r.body())
        .flatMap(m -> m.getResourceMetricsList().stream()).flatMap(rm -> rm.getScopeMetricsList().stream())
        .flatMap(sm -> sm.getMetricsList().stream()).filter(m -> m.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no metric " + name + " received"));
  }
}
