package dev.mcpgw.observability.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mcpgw.observability.Observability;
import dev.mcpgw.observability.config.ObservabilityConfigLoader;
import dev.mcpgw.observability.testing.OtlpReceiver;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The log and metric export pipelines against a real OTLP receiver that is dead, slow or failing: the caller never
 * sees it, memory is bounded by the log queue's capacity, what is lost is counted, and the SDK's {@code otel.sdk.*}
 * self-metrics say so on the Prometheus scrape (ADR 0028).
 */
class LogAndMetricExportHealthTest {

  private static final int LOG_QUEUE = 64;
  private Observability observability;
  private OtlpReceiver receiver;

  @AfterEach
  void close() {
    if (observability != null) {
      observability.shutdown(Duration.ofSeconds(2));
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  private Observability start(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(Map.of(
        "OTEL_TRACES_EXPORTER", "none",
        "OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint(),
        "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
        "OTEL_EXPORTER_OTLP_TIMEOUT", "500"));
    env.putAll(extra);
    observability = Observability.create(ObservabilityConfigLoader.load(env, null));
    return observability;
  }

  private Map<String, String> logsTo(int queue) {
    return Map.of("OTEL_METRICS_EXPORTER", "prometheus", "OTEL_LOGS_EXPORTER", "otlp",
        "OTEL_BLRP_MAX_QUEUE_SIZE", Integer.toString(queue), "OTEL_BLRP_MAX_EXPORT_BATCH_SIZE", "16",
        "OTEL_BLRP_SCHEDULE_DELAY", "20");
  }

  /** Emits {@code count} log records the way the logback bridge does; returns how many threw at the caller. */
  private int emitLogs(int count) {
    Logger logger = observability.openTelemetry().getLogsBridge().get("dev.mcpgw.test");
    int thrown = 0;
    for (int i = 0; i < count; i++) {
      try {
        logger.logRecordBuilder().setSeverity(Severity.WARN).setBody("record " + i).emit();
      } catch (RuntimeException e) {
        thrown++;
      }
    }
    return thrown;
  }

  @Test
  void aDeadLogBackendCostsAtMostTheQueueAndEveryLostRecordIsCounted() {
    receiver = OtlpReceiver.plain();
    receiver.stop();
    start(logsTo(LOG_QUEUE));

    assertThat(emitLogs(5_000)).as("records that threw at the caller").isZero();

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      String text = scrape();
      assertThat(sum(text, "otel_sdk_processor_log_queue_capacity", "")).isEqualTo(LOG_QUEUE);
      assertThat(sum(text, "otel_sdk_processor_log_queue_size", "")).isBetween(0L, (long) LOG_QUEUE);
      assertThat(sum(text, "otel_sdk_processor_log_processed_total", "error_type=\"queue_full\""))
          .as("records dropped because the queue was full").isGreaterThan(4_000);
      assertThat(sum(text, "otel_sdk_exporter_log_exported_total", "error_type="))
          .as("records the exporter failed to send").isPositive();
    });

    // The backend returns: new records reach it, counted as exported without an error.
    receiver.start();
    emitLogs(10);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      observability.forceFlush(Duration.ofSeconds(5));
      assertThat(receiver.received().stream().filter(r -> r.signal().equals("logs")).count()).isPositive();
      assertThat(sumWithout(scrape(), "otel_sdk_exporter_log_exported_total", "error_type=")).isPositive();
    });
  }

  @Test
  void aSlowLogBackendFillsTheBoundedQueueAndDropsAreCountedWhileCallersGoOn() {
    receiver = OtlpReceiver.plain();
    receiver.delaying(Duration.ofSeconds(2));
    start(logsTo(LOG_QUEUE));

    AtomicInteger thrown = new AtomicInteger();
    for (int round = 0; round < 5; round++) {
      thrown.addAndGet(emitLogs(200));
    }

    assertThat(thrown).hasValue(0);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      String text = scrape();
      assertThat(sum(text, "otel_sdk_processor_log_queue_size", "")).isBetween(0L, (long) LOG_QUEUE);
      assertThat(sum(text, "otel_sdk_processor_log_processed_total", "error_type=\"queue_full\"")).isPositive();
      assertThat(sum(text, "otel_sdk_exporter_log_exported_total", "error_type=")).as("exports that timed out")
          .isPositive();
      // besides the queue, memory holds the one batch being sent
      assertThat(sum(text, "otel_sdk_exporter_log_inflight", "")).isBetween(0L, 16L);
    });
  }

  @Test
  void aFailedMetricExportLosesOnlyThatIntervalBecauseTheNextCarriesTheCumulativeTotals() {
    receiver = OtlpReceiver.plain();
    receiver.failing(true);
    start(Map.of("OTEL_METRICS_EXPORTER", "prometheus,otlp", "OTEL_METRIC_EXPORT_INTERVAL", "200",
        "OTEL_LOGS_EXPORTER", "none"));
    LongCounter calls = observability.meter().counterBuilder("mcpgw.test.calls").build();
    calls.add(7);

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
        sum(scrape(), "otel_sdk_exporter_metric_data_point_exported_total", "error_type=\"503\""))
        .as("data points the failing backend refused").isPositive());
    assertThat(receiver.received()).as("a failing receiver records nothing").isEmpty();

    calls.add(5);
    receiver.failing(false);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      assertThat(lastTotal("mcpgw.test.calls")).as("the first export after the outage").isEqualTo(12);
      assertThat(sumWithout(scrape(), "otel_sdk_exporter_metric_data_point_exported_total", "error_type="))
          .isPositive();
    });
  }

  @Test
  void aMetricBackendDownAtStartGetsTheTotalsOnceItComesUp() {
    receiver = OtlpReceiver.plain();
    receiver.stop();
    start(Map.of("OTEL_METRICS_EXPORTER", "prometheus,otlp", "OTEL_METRIC_EXPORT_INTERVAL", "200",
        "OTEL_LOGS_EXPORTER", "none"));
    LongCounter calls = observability.meter().counterBuilder("mcpgw.test.calls").build();
    calls.add(3);

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
        sum(scrape(), "otel_sdk_exporter_metric_data_point_exported_total", "error_type="))
        .as("data points the dead backend did not take").isPositive());

    receiver.start();
    calls.add(4);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(lastTotal("mcpgw.test.calls")).isEqualTo(7));
  }

  @Test
  void aMetricBackendThatDoesNotAnswerInTimeCountsTimedOutExportsAndTheScrapeStillAnswers() {
    receiver = OtlpReceiver.plain();
    receiver.delaying(Duration.ofSeconds(3));
    start(Map.of("OTEL_METRICS_EXPORTER", "prometheus,otlp", "OTEL_METRIC_EXPORT_INTERVAL", "100",
        "OTEL_LOGS_EXPORTER", "none"));
    observability.meter().counterBuilder("mcpgw.test.calls").build().add(1);

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      String text = scrape();
      assertThat(sum(text, "otel_sdk_exporter_metric_data_point_exported_total", "error_type=\"java.net.http.HttpTimeoutException\""))
          .as("data points whose export timed out").isPositive();
      assertThat(text).contains("mcpgw_test_calls_total");
    });
  }

  private long lastTotal(String metric) {
    long last = -1;
    for (OtlpReceiver.Received r : receiver.received()) {
      if (!r.signal().equals("metrics")) {
        continue;
      }
      for (var rm : ((ExportMetricsServiceRequest) r.body()).getResourceMetricsList()) {
        for (var sm : rm.getScopeMetricsList()) {
          for (Metric m : sm.getMetricsList()) {
            if (m.getName().equals(metric)) {
              last = m.getSum().getDataPoints(0).getAsInt();
            }
          }
        }
      }
    }
    return last;
  }

  private String scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      observability.metricsScrape().orElseThrow().writeTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** The sum of a family's samples whose labels contain {@code labelPart}. */
  static long sum(String exposition, String family, String labelPart) {
    return add(exposition, family, labelPart, true);
  }

  /** The sum of a family's samples whose labels do not contain {@code labelPart}. */
  static long sumWithout(String exposition, String family, String labelPart) {
    return add(exposition, family, labelPart, false);
  }

  private static long add(String exposition, String family, String labelPart, boolean with) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(family) + "(\\{[^}]*})? (\\S+)").matcher(exposition);
    long total = 0;
    while (m.find()) {
      String labels = m.group(1) == null ? "" : m.group(1);
      if (labels.contains(labelPart) == with) {
        total += (long) Double.parseDouble(m.group(2));
      }
    }
    return total;
  }
}
