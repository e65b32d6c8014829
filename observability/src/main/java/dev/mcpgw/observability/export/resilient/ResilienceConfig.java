package dev.mcpgw.observability.export.resilient;

import dev.mcpgw.observability.config.ExportResilienceConfig;
import dev.mcpgw.observability.config.ObservabilityConfigException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of {@link ResilientSpanExporter}. Invalid values fail at start-up with a message naming the field (as
 * {@code resilience.<field>}, the names a YAML section would use).
 *
 * @param failureThreshold consecutive failed exports that open the circuit breaker (at least 1)
 * @param openDuration how long the breaker stays open before one trial export is let through
 * @param bufferDir directory of the on-disk buffer; each wrapped exporter uses its own sub-directory
 * @param maxDiskBytes most bytes the buffer may occupy per exporter (64 KiB to 2 GiB - 1, the library counts in int)
 * @param replayInterval pause between two replay rounds of the background thread
 * @param replayBatchesPerRound most batches replayed in one round, so a long backlog cannot starve shutdown
 * @param fileAge how long one buffer file takes new batches; a file is replayed only once it is older than this,
 *     so this is also the shortest delay between buffering a batch and replaying it
 * @param maxBufferAge batches older than this are discarded by the disk buffer instead of replayed
 * @param exportTimeout longest the replayer waits for one replayed batch (keep it above the exporter's own timeout)
 * @param summaryInterval interval of the one summary log line, written only when something was buffered, replayed
 *     or dropped in it
 * @param shutdownTimeout longest {@code shutdown()} spends replaying what is buffered before it closes the buffer;
 *     what is left stays on disk and is replayed by the next process using the same directory
 */
public record ResilienceConfig(
    int failureThreshold,
    Duration openDuration,
    Path bufferDir,
    long maxDiskBytes,
    Duration replayInterval,
    int replayBatchesPerRound,
    Duration fileAge,
    Duration maxBufferAge,
    Duration exportTimeout,
    Duration summaryInterval,
    Duration shutdownTimeout) {

  public ResilienceConfig {
    if (failureThreshold < 1) {
      throw invalid("failure_threshold", "must be at least 1, got " + failureThreshold);
    }
    positive("open_duration", openDuration);
    if (bufferDir == null) {
      throw invalid("buffer_dir", "is required (a writable directory)");
    }
    if (maxDiskBytes < ExportResilienceConfig.MIN_DISK_BYTES || maxDiskBytes > ExportResilienceConfig.MAX_DISK_BYTES) {
      throw invalid("max_disk_bytes", "must be between " + ExportResilienceConfig.MIN_DISK_BYTES + " and "
          + ExportResilienceConfig.MAX_DISK_BYTES + " bytes, got " + maxDiskBytes);
    }
    positive("replay_interval", replayInterval);
    if (replayBatchesPerRound < 1) {
      throw invalid("replay_batches_per_round", "must be at least 1, got " + replayBatchesPerRound);
    }
    positive("file_age", fileAge);
    positive("max_buffer_age", maxBufferAge);
    if (maxBufferAge.compareTo(fileAge.multipliedBy(2)) < 0) {
      throw invalid("max_buffer_age", "must be at least twice resilience.file_age (" + fileAge + "), got "
          + maxBufferAge);
    }
    positive("export_timeout", exportTimeout);
    positive("summary_interval", summaryInterval);
    positive("shutdown_timeout", shutdownTimeout);
  }

  /** Defaults: breaker opens after 3 failures for 30 s; 64 MiB buffer; replay every second; summary every minute. */
  public static ResilienceConfig create(Path bufferDir) {
    return builder(bufferDir).build();
  }

  /**
   * The configured settings ({@code observability.tracing.resilience}), the rest at their defaults.
   *
   * @param defaultBufferDir the buffer directory when none is configured
   */
  public static ResilienceConfig from(ExportResilienceConfig configured, Path defaultBufferDir) {
    return builder(configured.bufferDir() != null ? configured.bufferDir() : defaultBufferDir)
        .failureThreshold(configured.failureThreshold())
        .openDuration(configured.openDuration())
        .maxDiskBytes(configured.maxDiskBytes())
        .maxBufferAge(configured.maxBufferAge())
        .build();
  }

  public static Builder builder(Path bufferDir) {
    return new Builder(bufferDir);
  }

  /** The same settings with another buffer directory (each wrapped exporter gets its own). */
  public ResilienceConfig withBufferDir(Path dir) {
    return new ResilienceConfig(failureThreshold, openDuration, dir, maxDiskBytes, replayInterval,
        replayBatchesPerRound, fileAge, maxBufferAge, exportTimeout, summaryInterval, shutdownTimeout);
  }

  private static void positive(String field, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw invalid(field, "must be a positive duration, got " + value);
    }
  }

  private static ObservabilityConfigException invalid(String field, String problem) {
    return new ObservabilityConfigException("resilience." + field + " " + problem);
  }

  /** Builder starting from the defaults. */
  public static final class Builder {
    // the settings a user can configure start from the same defaults as the configuration
    private static final ExportResilienceConfig CONFIGURABLE = ExportResilienceConfig.defaults();
    private int failureThreshold = CONFIGURABLE.failureThreshold();
    private Duration openDuration = CONFIGURABLE.openDuration();
    private Path bufferDir;
    private long maxDiskBytes = CONFIGURABLE.maxDiskBytes();
    private Duration replayInterval = Duration.ofSeconds(1);
    private int replayBatchesPerRound = 16;
    private Duration fileAge = ExportResilienceConfig.FILE_AGE;
    private Duration maxBufferAge = CONFIGURABLE.maxBufferAge();
    private Duration exportTimeout = Duration.ofSeconds(30);
    private Duration summaryInterval = Duration.ofSeconds(60);
    private Duration shutdownTimeout = Duration.ofSeconds(5);

    private Builder(Path bufferDir) {
      this.bufferDir = bufferDir;
    }

    public Builder failureThreshold(int value) {
      this.failureThreshold = value;
      return this;
    }

    public Builder openDuration(Duration value) {
      this.openDuration = value;
      return this;
    }

    public Builder bufferDir(Path value) {
      this.bufferDir = value;
      return this;
    }

    public Builder maxDiskBytes(long value) {
      this.maxDiskBytes = value;
      return this;
    }

    public Builder replayInterval(Duration value) {
      this.replayInterval = value;
      return this;
    }

    public Builder replayBatchesPerRound(int value) {
      this.replayBatchesPerRound = value;
      return this;
    }

    public Builder fileAge(Duration value) {
      this.fileAge = value;
      return this;
    }

    public Builder maxBufferAge(Duration value) {
      this.maxBufferAge = value;
      return this;
    }

    public Builder exportTimeout(Duration value) {
      this.exportTimeout = value;
      return this;
    }

    public Builder summaryInterval(Duration value) {
      this.summaryInterval = value;
      return this;
    }

    public Builder shutdownTimeout(Duration value) {
      this.shutdownTimeout = value;
      return this;
    }

    public ResilienceConfig build() {
      return new ResilienceConfig(failureThreshold, openDuration,
          bufferDir, maxDiskBytes, replayInterval, replayBatchesPerRound, fileAge, maxBufferAge, exportTimeout,
          summaryInterval, shutdownTimeout);
    }
  }
}
