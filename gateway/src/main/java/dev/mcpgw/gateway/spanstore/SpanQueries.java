package dev.mcpgw.gateway.spanstore;

import dev.mcpgw.gateway.auth.Caller;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * Reads the store, always through the caller's scope (ADR 0014): a platform admin sees every span, anyone else only
 * the spans stamped with its own tenant. A trace with no span in the caller's scope does not exist for it. Lists and
 * stats read the per-trace lines ({@code span_traces}), a trace's spans the first chunk its line carries and the later
 * chunks ({@code span_chunks}), ADRs 0027 and 0034.
 */
public final class SpanQueries {
  /** {@code groupBy} values of {@link #stats}. */
  public enum GroupBy { TOOL, UPSTREAM, METHOD }

  private final Jdbi jdbi;
  private final Clock clock;

  SpanQueries(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  /** A page of traces, newest first; {@code more} when another page follows. */
  public record Page(List<TraceSummary> traces, boolean more) {}

  public Page traces(TraceFilter f, Caller caller) {
    Map<String, Object> binds = new HashMap<>();
    StringBuilder sql = new StringBuilder("SELECT t.trace_id, t.tenant_id, t.start_ns, t.end_ns, t.failed, t.name,"
        + " t.request_id, t.user_id, t.tool_name, t.span_count FROM span_traces t WHERE ")
        .append(scope("t", caller, binds));
    if (f.requestId() != null && !f.requestId().isBlank()) {
      // any call of the trace, not only its first: a line has its first chunk's first request id, span_requests
      // every other SERVER span's (ADR 0034)
      sql.append(" AND (t.trace_id, t.tenant_id) IN (SELECT l.trace_id, l.tenant_id FROM span_traces l"
          + " WHERE l.request_id = :requestId UNION SELECT r.trace_id, r.tenant_id FROM span_requests r"
          + " WHERE r.request_id = :requestId)");
      binds.put("requestId", f.requestId());
    }
    filter(sql, binds, "trace_id", "traceId", f.traceId());
    filter(sql, binds, "user_id", "user", f.user());
    filter(sql, binds, "tenant_id", "tenant", f.tenant());
    filter(sql, binds, "tool_name", "tool", f.tool());
    if (f.status() != null) {
      sql.append(" AND t.failed = ").append(f.status().equals("error") ? 1 : 0);
    }
    if (f.minDurationMs() != null) {
      sql.append(" AND t.end_ns - t.start_ns >= :minDurationNs");
      binds.put("minDurationNs", f.minDurationMs() * 1_000_000L);
    }
    if (f.fromNs() != null) {
      sql.append(" AND t.start_ns >= :fromNs");
      binds.put("fromNs", f.fromNs());
    }
    if (f.toNs() != null) {
      sql.append(" AND t.start_ns <= :toNs");
      binds.put("toNs", f.toNs());
    }
    sql.append(" ORDER BY t.start_ns DESC, t.trace_id, t.tenant_id LIMIT :limit OFFSET :offset");
    binds.put("limit", f.limit() + 1);
    binds.put("offset", f.offset());
    List<TraceSummary> rows = jdbi.withHandle(h -> {
      Query q = h.createQuery(sql.toString());
      binds.forEach(q::bind);
      return q.map((rs, ctx) -> {
        long first = rs.getLong("start_ns");
        return new TraceSummary(rs.getString("trace_id"), rs.getString("name"), instant(first),
            (rs.getLong("end_ns") - first) / 1_000_000.0, rs.getInt("failed") == 1 ? "error" : "ok",
            rs.getString("request_id"), rs.getString("user_id"), tenant(rs.getString("tenant_id")),
            rs.getString("tool_name"), rs.getInt("span_count"));
      }).list();
    });
    boolean more = rows.size() > f.limit();
    return new Page(more ? List.copyOf(rows.subList(0, f.limit())) : rows, more);
  }

  /** The spans of one trace the caller may see, by start time; empty when there is none. */
  public Optional<List<SpanRow>> trace(String traceId, Caller caller) {
    Map<String, Object> binds = new HashMap<>();
    // the lines: their first chunks, and the range the other chunks start in
    String lines = "SELECT t.tenant_id, t.start_ns, t.end_ns, t.spans FROM span_traces t WHERE t.trace_id = :traceId"
        + " AND " + scope("t", caller, binds);
    // the chunks start within their trace's lines: a range of the start index, not an index on the random trace id
    String chunks = "SELECT c.tenant_id, c.spans FROM span_chunks c WHERE c.start_ns >= :s AND c.start_ns <= :e"
        + " AND c.trace_id = :traceId AND " + scope("c", caller, binds);
    binds.put("traceId", traceId);
    List<SpanRow> rows = new ArrayList<>();
    jdbi.useHandle(h -> {
      Query w = h.createQuery(lines);
      binds.forEach(w::bind);
      long[] range = {Long.MAX_VALUE, Long.MIN_VALUE};
      w.map((rs, ctx) -> {
        range[0] = Math.min(range[0], rs.getLong("start_ns"));
        range[1] = Math.max(range[1], rs.getLong("end_ns"));
        String first = rs.getString("spans"); // null on a line written before V8: all its chunks are rows
        return first == null ? List.<SpanRow>of()
            : ChunkCodec.decode(traceId, tenant(rs.getString("tenant_id")), first);
      }).forEach(rows::addAll);
      if (range[0] > range[1]) {
        return;
      }
      Query q = h.createQuery(chunks);
      binds.forEach(q::bind);
      q.bind("s", range[0]).bind("e", range[1]);
      q.map((rs, ctx) -> ChunkCodec.decode(traceId, tenant(rs.getString("tenant_id")), rs.getString("spans")))
          .forEach(rows::addAll);
    });
    // a span written twice (a retried export across batches) is shown once
    Map<String, SpanRow> byId = new LinkedHashMap<>();
    for (SpanRow r : rows) {
      byId.putIfAbsent(r.spanId(), r);
    }
    List<SpanRow> spans = new ArrayList<>(byId.values());
    spans.sort(Comparator.comparingLong(SpanRow::startNs).thenComparing(SpanRow::durationNs, Comparator.reverseOrder()));
    return spans.isEmpty() ? Optional.empty() : Optional.of(spans);
  }

  /** Calls, error rate and p50/p95/p99 per key over the last {@code window}, busiest first. */
  public List<GroupStats> stats(GroupBy groupBy, Duration window, Caller caller) {
    Map<String, List<Long>> durations = new LinkedHashMap<>();
    Map<String, long[]> errors = new HashMap<>();
    scan(groupBy, clock.instant().minus(window).toEpochMilli() * 1_000_000L, caller, (k, startNs, d, failed) -> {
      durations.computeIfAbsent(k, x -> new ArrayList<>()).add(d);
      if (failed) {
        errors.computeIfAbsent(k, x -> new long[1])[0]++;
      }
    });
    List<GroupStats> out = new ArrayList<>();
    durations.forEach((k, ds) -> out.add(summary(k, ds, errors.getOrDefault(k, new long[1])[0])));
    out.sort((a, b) -> Long.compare(b.calls(), a.calls()));
    return out;
  }

  /**
   * The same per key, and per {@code bucket} of the window: the window's start is rounded down to a whole bucket (so
   * that consecutive reads line up), and every bucket up to now is present, empty ones with no calls. Busiest first.
   */
  public List<GroupSeries> series(GroupBy groupBy, Duration window, Duration bucket, Caller caller) {
    long bucketNs = bucket.toNanos();
    long nowNs = clock.instant().toEpochMilli() * 1_000_000L;
    long sinceNs = Math.floorDiv(nowNs - window.toNanos(), bucketNs) * bucketNs;
    int buckets = (int) Math.max(1, (nowNs - sinceNs + bucketNs - 1) / bucketNs);
    Map<String, List<List<Long>>> durations = new LinkedHashMap<>();
    Map<String, long[]> errors = new HashMap<>();
    scan(groupBy, sinceNs, caller, (k, startNs, d, failed) -> {
      int i = (int) Math.min(buckets - 1, (startNs - sinceNs) / bucketNs);
      List<List<Long>> perBucket = durations.computeIfAbsent(k, x -> {
        List<List<Long>> all = new ArrayList<>(buckets);
        for (int b = 0; b < buckets; b++) {
          all.add(new ArrayList<>());
        }
        return all;
      });
      perBucket.get(i).add(d);
      if (failed) {
        errors.computeIfAbsent(k, x -> new long[buckets])[i]++;
      }
    });
    List<GroupSeries> out = new ArrayList<>();
    durations.forEach((k, perBucket) -> {
      long[] failed = errors.getOrDefault(k, new long[buckets]);
      List<Long> all = new ArrayList<>();
      long allFailed = 0;
      List<GroupStats> points = new ArrayList<>(buckets);
      for (int b = 0; b < buckets; b++) {
        List<Long> ds = perBucket.get(b);
        all.addAll(ds);
        allFailed += failed[b];
        points.add(ds.isEmpty() ? new GroupStats(k, 0, 0, 0, 0, 0, 0) : summary(k, ds, failed[b]));
      }
      out.add(new GroupSeries(summary(k, all, allFailed), instant(sinceNs), bucket, points));
    });
    out.sort((a, b) -> Long.compare(b.total().calls(), a.total().calls()));
    return out;
  }

  private interface Row {
    void accept(String key, long startNs, long durationNs, boolean failed);
  }

  /**
   * Every span of {@code groupBy}'s kind with a key, started since {@code sinceNs}, in the caller's scope: read from
   * the {@code calls} lines of the traces that ended since then.
   */
  private void scan(GroupBy groupBy, long sinceNs, Caller caller, Row row) {
    Map<String, Object> binds = new HashMap<>();
    char kind = switch (groupBy) {
      case TOOL -> 'T';
      case UPSTREAM -> 'U';
      case METHOD -> 'M';
    };
    String sql = "SELECT t.calls FROM span_traces t WHERE " + scope("t", caller, binds) + " AND t.end_ns >= :since";
    binds.put("since", sinceNs);
    jdbi.useHandle(h -> {
      Query q = h.createQuery(sql);
      binds.forEach(q::bind);
      q.map((rs, ctx) -> rs.getString(1)).forEach(calls -> calls(calls, kind, sinceNs, row));
    });
  }

  /** The lines of one trace's {@code calls} of {@code kind}, started since {@code sinceNs}. */
  private static void calls(String calls, char kind, long sinceNs, Row row) {
    int at = 0;
    while (at < calls.length()) {
      int end = calls.indexOf('\n', at);
      if (end < 0) {
        end = calls.length();
      }
      if (calls.charAt(at) == kind) {
        int k = calls.indexOf('\t', at + 2);
        int t = calls.indexOf('\t', k + 1);
        int d = calls.indexOf('\t', t + 1);
        if (k > 0 && t > 0 && d > 0 && d < end) {
          long start = Long.parseLong(calls, k + 1, t, 10);
          if (start >= sinceNs) {
            row.accept(calls.substring(at + 2, k), start, Long.parseLong(calls, t + 1, d, 10),
                calls.charAt(d + 1) == '1');
          }
        }
      }
      at = end + 1;
    }
  }

  private static GroupStats summary(String key, List<Long> ds, long failed) {
    ds.sort(null);
    long calls = ds.size();
    return new GroupStats(key, calls, failed, calls == 0 ? 0 : (double) failed / calls, percentile(ds, 0.50),
        percentile(ds, 0.95), percentile(ds, 0.99));
  }

  /** How many spans are stored now (all tenants). */
  public long count() {
    return jdbi.withHandle(h -> h.createQuery("SELECT COALESCE(SUM(span_count), 0) FROM span_traces")
        .mapTo(Long.class).one());
  }

  private static double percentile(List<Long> sorted, double p) {
    if (sorted.isEmpty()) {
      return 0;
    }
    int i = (int) Math.ceil(p * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i))) / 1_000_000.0;
  }

  private static String scope(String alias, Caller caller, Map<String, Object> binds) {
    if (caller.platformAdmin()) {
      return "1 = 1";
    }
    binds.put("callerTenant", caller.tenantId());
    return alias + ".tenant_id = :callerTenant";
  }

  private static void filter(StringBuilder sql, Map<String, Object> binds, String column, String bind, String value) {
    if (value != null && !value.isBlank()) {
      sql.append(" AND t.").append(column).append(" = :").append(bind);
      binds.put(bind, value);
    }
  }

  /** A stored tenant as the API shows it: {@code ""} (none) is null. */
  private static String tenant(String stored) {
    return stored == null || stored.isEmpty() ? null : stored;
  }

  static Instant instant(long epochNanos) {
    return Instant.ofEpochSecond(epochNanos / 1_000_000_000L, epochNanos % 1_000_000_000L);
  }
}
