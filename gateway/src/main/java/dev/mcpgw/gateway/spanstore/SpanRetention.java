package dev.mcpgw.gateway.spanstore;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** Deletes spans older than the retention, then the oldest beyond the most spans kept. */
final class SpanRetention {
  private final Jdbi jdbi;
  private final Duration retention;
  private final int maxSpans;
  private final Clock clock;

  SpanRetention(Jdbi jdbi, Duration retention, int maxSpans, Clock clock) {
    this.jdbi = jdbi;
    this.retention = retention;
    this.maxSpans = maxSpans;
    this.clock = clock;
  }

  /** Runs once; returns how many spans went. */
  int prune() {
    long cutoff = nanos(clock.instant().minus(retention).toEpochMilli());
    return jdbi.withHandle(h -> {
      int gone = h.createUpdate("DELETE FROM spans WHERE start_ns < :cutoff").bind("cutoff", cutoff).execute();
      List<Long> keepFrom = h.createQuery("SELECT start_ns FROM spans ORDER BY start_ns DESC LIMIT 1 OFFSET :offset")
          .bind("offset", maxSpans - 1).mapTo(Long.class).list();
      if (!keepFrom.isEmpty()) {
        gone += h.createUpdate("DELETE FROM spans WHERE start_ns < :cutoff").bind("cutoff", keepFrom.get(0)).execute();
      }
      return gone;
    });
  }

  private static long nanos(long epochMillis) {
    return epochMillis * 1_000_000L;
  }
}
