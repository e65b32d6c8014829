package dev.mcpgw.observability.export.resilient;

import dev.mcpgw.observability.export.resilient.ExportStats.DropReason;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one log line per interval: what was buffered, replayed and dropped since the last line, the bytes on disk and
 * the breaker's openings. Silent when nothing was buffered, replayed or dropped, so a healthy exporter never logs.
 * Only counts and the failure's exception type appear, never span content or endpoint credentials.
 */
final class SummaryLog {

  static final Logger LOG = LoggerFactory.getLogger(ResilientSpanExporter.class);

  private final String name;
  private final Duration interval;
  private final ExportStats stats;
  private final CircuitBreaker breaker;
  private final LongSupplier bufferBytes;

  private long lastBuffered;
  private long lastReplayed;
  private long lastOpenings;
  private final long[] lastDropped = new long[DropReason.values().length];
  private volatile String lastFailure = "";

  SummaryLog(String name, Duration interval, ExportStats stats, CircuitBreaker breaker, LongSupplier bufferBytes) {
    this.name = name;
    this.interval = interval;
    this.stats = stats;
    this.breaker = breaker;
    this.bufferBytes = bufferBytes;
  }

  /** Remembers the type of the latest export failure for the next line; the message may name hosts or headers. */
  void failure(Throwable cause) {
    lastFailure = cause == null ? "failed result" : cause.getClass().getSimpleName();
  }

  /** Writes the line if anything happened since the previous call; returns it (or null) for tests. */
  synchronized String emit() {
    long buffered = stats.buffered.get();
    long replayed = stats.replayed.get();
    long openings = breaker.openings();
    long buffDelta = buffered - lastBuffered;
    long replayDelta = replayed - lastReplayed;
    long openDelta = openings - lastOpenings;
    StringBuilder drops = new StringBuilder();
    long dropDelta = 0;
    for (DropReason reason : DropReason.values()) {
      long now = stats.dropped(reason);
      long delta = now - lastDropped[reason.ordinal()];
      lastDropped[reason.ordinal()] = now;
      if (delta > 0) {
        drops.append(drops.isEmpty() ? " (" : ", ").append(reason.value).append(' ').append(delta);
        dropDelta += delta;
      }
    }
    lastBuffered = buffered;
    lastReplayed = replayed;
    lastOpenings = openings;
    if (buffDelta == 0 && replayDelta == 0 && dropDelta == 0) {
      return null;
    }
    if (dropDelta > 0) {
      drops.append(')');
    }
    String line = "Span exporter '" + name + "' in the last " + interval.toSeconds() + " s: buffered " + buffDelta
        + " spans to disk, replayed " + replayDelta + ", dropped " + dropDelta + drops
        + "; " + bufferBytes.getAsLong() + " bytes on disk; circuit " + breaker.state().name().toLowerCase(
            java.util.Locale.ROOT).replace('_', '-')
        + (openDelta > 0 ? ", opened " + openDelta + " times" : "")
        + (lastFailure.isEmpty() ? "" : "; last failure " + lastFailure);
    if (buffDelta > 0 || dropDelta > 0) {
      LOG.warn(line);
    } else {
      LOG.info(line);
    }
    return line;
  }
}
