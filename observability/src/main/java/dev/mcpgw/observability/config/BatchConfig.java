package dev.mcpgw.observability.config;

import java.time.Duration;

/**
 * Batch span processor settings ({@code OTEL_BSP_*}).
 *
 * @param scheduleDelay delay between two exports
 * @param exportTimeout longest time one export may take
 * @param maxQueueSize spans kept in memory before new ones are dropped (and counted)
 * @param maxExportBatchSize spans per export call, at most {@code maxQueueSize}
 */
public record BatchConfig(Duration scheduleDelay, Duration exportTimeout, int maxQueueSize, int maxExportBatchSize) {

  public BatchConfig {
    if (maxQueueSize < 1) {
      throw new ObservabilityConfigException("OTEL_BSP_MAX_QUEUE_SIZE must be at least 1");
    }
    if (maxExportBatchSize < 1 || maxExportBatchSize > maxQueueSize) {
      throw new ObservabilityConfigException(
          "OTEL_BSP_MAX_EXPORT_BATCH_SIZE must be between 1 and OTEL_BSP_MAX_QUEUE_SIZE (" + maxQueueSize + ")");
    }
  }

  public static BatchConfig defaults() {
    return new BatchConfig(Duration.ofMillis(5000), Duration.ofMillis(30000), 2048, 512);
  }
}
