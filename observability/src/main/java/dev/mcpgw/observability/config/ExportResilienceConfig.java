package dev.mcpgw.observability.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How span export survives a backend that is down ({@code observability.tracing.resilience}): the circuit breaker in
 * front of each exporter and the on-disk buffer behind it. The application turns this into the exporter's settings,
 * supplying the buffer directory when none is configured.
 *
 * @param failureThreshold consecutive failed exports that open the breaker
 * @param openDuration how long the breaker stays open before one trial export
 * @param bufferDir the buffer's directory, or {@code null} for the application's default (its data directory)
 * @param maxDiskBytes most bytes the buffer may hold per exporter; the oldest batches go first beyond it
 * @param maxBufferAge batches older than this are dropped (counted) instead of replayed
 */
public record ExportResilienceConfig(int failureThreshold, Duration openDuration, Path bufferDir, long maxDiskBytes,
    Duration maxBufferAge) {

  /** The smallest buffer allowed per exporter. */
  public static final long MIN_DISK_BYTES = 64 * 1024;
  /** The largest buffer allowed per exporter (the buffer library counts bytes in an int). */
  public static final long MAX_DISK_BYTES = Integer.MAX_VALUE;
  /** How long one buffer file takes new batches before it becomes replayable. */
  public static final Duration FILE_AGE = Duration.ofSeconds(5);
  /** The shortest {@code maxBufferAge}: twice {@link #FILE_AGE}, so that a batch can be replayed before it expires. */
  public static final Duration MIN_BUFFER_AGE = FILE_AGE.multipliedBy(2);

  /** Breaker opens after 3 failures for 30 s; 64 MiB of buffer per exporter, kept at most 24 h. */
  public static ExportResilienceConfig defaults() {
    return new ExportResilienceConfig(3, Duration.ofSeconds(30), null, 64L * 1024 * 1024, Duration.ofHours(24));
  }
}
