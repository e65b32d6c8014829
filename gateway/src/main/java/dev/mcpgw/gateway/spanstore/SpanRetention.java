package dev.mcpgw.gateway.spanstore;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Deletes whole traces (their line, all their chunks and request ids): those that started before the retention, then
 * the oldest beyond the most spans kept (a trace straddling that bound goes whole). A request id row stands for a
 * span counted in its line's span count, so the most spans kept bounds those rows as well.
 *
 * <p>Chunks and request ids are deleted by start time, ranges of their start indexes (ADR 0031): everything a deleted
 * trace holds starts within its [start, end], and everything a kept trace holds starts after the cut. So all that
 * starts before the cut goes, and of what starts between the cut and the latest end of a deleted trace, what no line
 * holds any more goes. Nothing keyed by a random id is walked.
 */
final class SpanRetention {
  private static final String ORPHAN = " WHERE start_ns > :from AND start_ns <= :to AND NOT EXISTS (SELECT 1"
      + " FROM span_traces t WHERE t.trace_id = %1$s.trace_id AND t.tenant_id = %1$s.tenant_id)";

  private final Jdbi jdbi;
  private final boolean sqlite;
  private final Duration retention;
  private final int maxSpans;
  private final Clock clock;

  SpanRetention(Jdbi jdbi, boolean sqlite, Duration retention, int maxSpans, Clock clock) {
    this.jdbi = jdbi;
    this.sqlite = sqlite;
    this.retention = retention;
    this.maxSpans = maxSpans;
    this.clock = clock;
  }

  /** Runs once; returns how many spans went. */
  int prune() {
    if (!sqlite) {
      return jdbi.inTransaction(this::prune);
    }
    // SQLite zeroes what the registry deletes (secure_delete, so that no old secret lingers in free pages); spans hold
    // no secret, and zeroing every deleted chunk wrote each stored span twice more. Off on this connection only for
    // this transaction, and on again before the pool hands the connection out
    return jdbi.withHandle(h -> {
      h.execute("PRAGMA secure_delete = OFF");
      try {
        return h.inTransaction(this::prune);
      } finally {
        h.execute("PRAGMA secure_delete = ON");
      }
    });
  }

  private int prune(Handle h) {
    long cutoff = nanos(clock.instant().minus(retention).toEpochMilli());
    long gone = deleteBefore(h, cutoff - 1);
    Long from = firstBeyond(h, maxSpans);
    if (from != null) {
      gone += deleteBefore(h, from);
    }
    return (int) Math.min(Integer.MAX_VALUE, gone);
  }

  /**
   * The start of the newest trace whose spans, added to those of every newer trace, exceed {@code max}: that trace
   * and every older one go (a trace straddling the bound goes whole); null when all fit. Walks the start index from
   * the newest line and stops there, so it reads only the lines that stay, once, and sorts nothing. Traces that
   * start in the same nanosecond go or stay together whatever their order: the cut is a start time.
   */
  private static Long firstBeyond(Handle h, int max) {
    return h.createQuery("SELECT start_ns, span_count FROM span_traces ORDER BY start_ns DESC")
        .setFetchSize(1_000) // PostgreSQL streams in the transaction instead of reading every line first
        .scanResultSet((rows, ctx) -> {
          java.sql.ResultSet rs = rows.get();
          long kept = 0;
          while (rs.next()) {
            kept += rs.getLong(2);
            if (kept > max) {
              return rs.getLong(1);
            }
          }
          return null;
        });
  }

  /**
   * Deletes the trace lines that started at {@code last} or before, then their chunks and request ids; returns their
   * spans.
   */
  private static long deleteBefore(Handle h, long last) {
    List<long[]> gone = h.createQuery("DELETE FROM span_traces WHERE start_ns <= :last RETURNING span_count, end_ns")
        .bind("last", last)
        .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)}).list();
    if (gone.isEmpty()) {
      return 0;
    }
    long spans = 0;
    long latestEnd = last;
    for (long[] g : gone) {
      spans += g[0];
      latestEnd = Math.max(latestEnd, g[1]);
    }
    for (String table : new String[] {"span_chunks", "span_requests"}) {
      h.createUpdate("DELETE FROM " + table + " WHERE start_ns <= :last").bind("last", last).execute();
      if (latestEnd > last) {
        h.createUpdate("DELETE FROM " + table + ORPHAN.formatted(table))
            .bind("from", last).bind("to", latestEnd).execute();
      }
    }
    return spans;
  }

  private static long nanos(long epochMillis) {
    return epochMillis * 1_000_000L;
  }
}
