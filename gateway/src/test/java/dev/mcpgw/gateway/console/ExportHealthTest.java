package dev.mcpgw.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mcpgw.observability.Observability;
import dev.mcpgw.observability.config.ObservabilityConfigLoader;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The overview's export health reads the SDK's own batch queue metrics from a real scrape. */
class ExportHealthTest {

  /** An exporter whose first export waits until released: a backend that does not answer. */
  private static final class StuckExporter implements SpanExporter {
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      release.countDown();
      return CompletableResultCode.ofSuccess();
    }
  }

  @Test
  void aFullBatchQueueShowsItsQueuedAndDroppedSpans() {
    StuckExporter stuck = new StuckExporter();
    try (Observability observability = Observability.builder(ObservabilityConfigLoader.load(Map.of(
            "OTEL_METRICS_EXPORTER", "prometheus", "OTEL_BSP_MAX_QUEUE_SIZE", "8",
            "OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "1", "OTEL_BSP_SCHEDULE_DELAY", "1"), null))
        .addSpanExporter("stuck", stuck).build()) {
      for (int i = 0; i < 100; i++) {
        observability.trace("work", Attributes.empty(), () -> null);
      }
      ExportHealth health = new ExportHealth(observability.metricsScrape().orElseThrow());
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        ExportHealth.Snapshot snapshot = health.read();
        // the queue is full (the worker may hold a span it took before its export stuck)
        assertThat(snapshot.queued()).isBetween(6L, 8L);
        // what neither the queue nor the stuck worker holds was dropped and counted
        assertThat(snapshot.queued() + snapshot.queueDropped()).isBetween(97L, 99L);
      });
      stuck.release.countDown();
    }
  }
}
