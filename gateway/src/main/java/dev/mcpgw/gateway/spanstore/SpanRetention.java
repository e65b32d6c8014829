package dev.mcpgw.gateway.spanstore;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Deletes whole traces (their line, all their chunks and request ids): those that started before the retention, then
 * the oldest beyond the most spans kept (a trace straddling that bound goes whole). A request id row stands for a
 * span counted in its line's span count, so the most spans kept bounds those rows as well.
 */
final class SpanRetention {
  private static final String ORPHAN_CHUNKS = "DELETE FROM span_chunks WHERE NOT EXISTS (SELECT 1 FROM span_traces t"
      + " WHERE t.trace_id = span_chunks.trace_id AND t.tenant_id = span_chunks.tenant_id)";
  private static final String REQUESTS_OF_TRACE = "DELETE FROM span_requests WHERE trace_id = ? AND tenant_id = ?";

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
    return jdbi.inTransaction(h -> {
      long gone = deleteBefore(h, cutoff, false);
      long stored = h.createQuery("SELECT COALESCE(SUM(span_count), 0) FROM span_traces").mapTo(Long.class).one();
      if (stored > maxSpans) {
        // the newest traces whose spans add up to at most maxSpans stay; the first that goes and every older one go
        List<Long> from = h.createQuery("SELECT start_ns FROM (SELECT start_ns, SUM(span_count) OVER (ORDER BY"
                + " start_ns DESC, trace_id DESC, tenant_id DESC ROWS UNBOUNDED PRECEDING) AS kept FROM span_traces) k"
                + " WHERE kept > :max ORDER BY start_ns DESC LIMIT 1")
            .bind("max", (long) maxSpans).mapTo(Long.class).list();
        if (!from.isEmpty()) {
          gone += deleteBefore(h, from.get(0), true);
        }
      }
      if (gone > 0) {
        h.execute(ORPHAN_CHUNKS);
      }
      return (int) Math.min(Integer.MAX_VALUE, gone);
    });
  }

  /**
   * Deletes the trace lines that started before {@code cutoff} (or at it), then the request ids of exactly those lines
   * (by trace id, the rows the deleted lines returned: a line a writer creates meanwhile keeps its own); returns their
   * spans.
   */
  private static long deleteBefore(Handle h, long cutoff, boolean inclusive) {
    String op = inclusive ? "<=" : "<";
    List<Gone> gone = h.createQuery("DELETE FROM span_traces WHERE start_ns " + op + " :cutoff"
            + " RETURNING trace_id, tenant_id, span_count")
        .bind("cutoff", cutoff)
        .map((rs, ctx) -> new Gone(rs.getString(1), rs.getString(2), rs.getLong(3))).list();
    long spans = 0;
    if (!gone.isEmpty()) {
      PreparedBatch requests = h.prepareBatch(REQUESTS_OF_TRACE);
      for (Gone g : gone) {
        spans += g.spans();
        requests.bind(0, g.traceId()).bind(1, g.tenantId()).add();
      }
      requests.execute();
    }
    return spans;
  }

  private record Gone(String traceId, String tenantId, long spans) {}

  private static long nanos(long epochMillis) {
    return epochMillis * 1_000_000L;
  }
}
