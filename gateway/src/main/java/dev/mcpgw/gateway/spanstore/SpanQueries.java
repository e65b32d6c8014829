package dev.mcpgw.gateway.spanstore;

import dev.mcpgw.gateway.auth.Caller;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * Reads the store, always through the caller's scope (ADR 0014): a platform admin sees every span, anyone else only
 * the spans stamped with its own tenant. A trace with no span in the caller's scope does not exist for it.
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
    String scopeS = scope("s", caller, binds);
    List<String> spanFilters = new ArrayList<>();
    spanFilter(spanFilters, binds, "request_id", "requestId", f.requestId());
    spanFilter(spanFilters, binds, "trace_id", "traceId", f.traceId());
    spanFilter(spanFilters, binds, "user_id", "user", f.user());
    spanFilter(spanFilters, binds, "tenant_id", "tenant", f.tenant());
    spanFilter(spanFilters, binds, "tool_name", "tool", f.tool());
    StringBuilder sql = new StringBuilder("SELECT s.trace_id AS trace_id, MIN(s.start_ns) AS first_ns,"
        + " MAX(s.start_ns + s.duration_ns) AS last_ns, COUNT(*) AS span_count, MAX(s.request_id) AS request_id,"
        + " MAX(s.user_id) AS user_id, MAX(s.tenant_id) AS tenant_id, MAX(s.tool_name) AS tool_name,"
        + " MAX(CASE WHEN s.status = 'error' THEN 1 ELSE 0 END) AS failed FROM spans s WHERE ").append(scopeS);
    // each filter on its own: the request id is on the HTTP span, the tool on the MCP span, both in one trace
    for (String filter : spanFilters) {
      sql.append(" AND s.trace_id IN (SELECT f.trace_id FROM spans f WHERE ").append(scope("f", caller, binds))
          .append(" AND ").append(filter).append(")");
    }
    sql.append(" GROUP BY s.trace_id HAVING 1 = 1");
    if (f.status() != null) {
      sql.append(" AND MAX(CASE WHEN s.status = 'error' THEN 1 ELSE 0 END) = ")
          .append(f.status().equals("error") ? 1 : 0);
    }
    if (f.minDurationMs() != null) {
      sql.append(" AND MAX(s.start_ns + s.duration_ns) - MIN(s.start_ns) >= :minDurationNs");
      binds.put("minDurationNs", f.minDurationMs() * 1_000_000L);
    }
    if (f.fromNs() != null) {
      sql.append(" AND MIN(s.start_ns) >= :fromNs");
      binds.put("fromNs", f.fromNs());
    }
    if (f.toNs() != null) {
      sql.append(" AND MIN(s.start_ns) <= :toNs");
      binds.put("toNs", f.toNs());
    }
    sql.append(" ORDER BY first_ns DESC, trace_id LIMIT :limit OFFSET :offset");
    binds.put("limit", f.limit() + 1);
    binds.put("offset", f.offset());
    return jdbi.withHandle(h -> {
      Query q = h.createQuery(sql.toString());
      binds.forEach(q::bind);
      List<TraceSummary> rows = q.map((rs, ctx) -> {
        long first = rs.getLong("first_ns");
        return new TraceSummary(rs.getString("trace_id"), null, instant(first),
            (rs.getLong("last_ns") - first) / 1_000_000.0, rs.getInt("failed") == 1 ? "error" : "ok",
            rs.getString("request_id"), rs.getString("user_id"), rs.getString("tenant_id"), rs.getString("tool_name"),
            rs.getInt("span_count"));
      }).list();
      boolean more = rows.size() > f.limit();
      List<TraceSummary> page = more ? rows.subList(0, f.limit()) : rows;
      if (page.isEmpty()) {
        return new Page(List.of(), false);
      }
      Map<String, Object> nameBinds = new HashMap<>();
      String nameScope = scope("s", caller, nameBinds);
      Query names = h.createQuery("SELECT s.trace_id AS trace_id, s.name AS name FROM spans s WHERE " + nameScope
          + " AND s.trace_id IN (<ids>) ORDER BY CASE WHEN s.parent_span_id IS NULL THEN 0 ELSE 1 END,"
          + " s.start_ns ASC, s.duration_ns DESC")
          .bindList("ids", page.stream().map(TraceSummary::traceId).toList());
      nameBinds.forEach(names::bind);
      Map<String, String> first = new HashMap<>();
      names.map((rs, ctx) -> Map.entry(rs.getString("trace_id"), rs.getString("name")))
          .forEach(e -> first.putIfAbsent(e.getKey(), e.getValue()));
      return new Page(page.stream().map(t -> new TraceSummary(t.traceId(), first.get(t.traceId()), t.start(),
          t.durationMs(), t.status(), t.requestId(), t.user(), t.tenant(), t.tool(), t.spanCount())).toList(), more);
    });
  }

  /** The spans of one trace the caller may see, by start time; empty when there is none. */
  public Optional<List<SpanRow>> trace(String traceId, Caller caller) {
    Map<String, Object> binds = new HashMap<>();
    String sql = "SELECT * FROM spans s WHERE s.trace_id = :traceId AND " + scope("s", caller, binds)
        + " ORDER BY s.start_ns ASC, s.duration_ns DESC";
    binds.put("traceId", traceId);
    List<SpanRow> rows = jdbi.withHandle(h -> {
      Query q = h.createQuery(sql);
      binds.forEach(q::bind);
      return q.map((rs, ctx) -> new SpanRow(rs.getString("trace_id"), rs.getString("span_id"),
          rs.getString("parent_span_id"), rs.getString("parent_span_id") == null, rs.getString("name"),
          rs.getString("kind"), rs.getLong("start_ns"), rs.getLong("duration_ns"), rs.getString("status"),
          rs.getString("tenant_id"), rs.getString("user_id"), rs.getString("request_id"), rs.getString("tool_name"),
          rs.getString("upstream"), rs.getString("method"), rs.getString("service"), rs.getString("attributes"),
          rs.getString("events"))).list();
    });
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows);
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

  /** Every span of {@code groupBy}'s kind with a key, started since {@code sinceNs}, in the caller's scope. */
  private void scan(GroupBy groupBy, long sinceNs, Caller caller, Row row) {
    Map<String, Object> binds = new HashMap<>();
    String column = switch (groupBy) {
      case TOOL -> "s.tool_name";
      case UPSTREAM -> "s.upstream";
      case METHOD -> "s.method";
    };
    String kind = groupBy == GroupBy.UPSTREAM ? "CLIENT" : "SERVER";
    String sql = "SELECT " + column + " AS k, s.start_ns AS t, s.duration_ns AS d, s.status AS st FROM spans s WHERE "
        + scope("s", caller, binds) + " AND s.kind = :kind AND " + column + " IS NOT NULL AND s.start_ns >= :since";
    binds.put("kind", kind);
    binds.put("since", sinceNs);
    jdbi.useHandle(h -> {
      Query q = h.createQuery(sql);
      binds.forEach(q::bind);
      q.map((rs, ctx) -> {
        row.accept(rs.getString("k"), rs.getLong("t"), rs.getLong("d"), "error".equals(rs.getString("st")));
        return Boolean.TRUE;
      }).forEach(x -> {});
    });
  }

  private static GroupStats summary(String key, List<Long> ds, long failed) {
    ds.sort(null);
    long calls = ds.size();
    return new GroupStats(key, calls, failed, calls == 0 ? 0 : (double) failed / calls, percentile(ds, 0.50),
        percentile(ds, 0.95), percentile(ds, 0.99));
  }

  /** How many spans are stored now (all tenants). */
  public long count() {
    return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM spans").mapTo(Long.class).one());
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

  private static void spanFilter(List<String> filters, Map<String, Object> binds, String column, String bind,
      String value) {
    if (value != null && !value.isBlank()) {
      filters.add("f." + column + " = :" + bind);
      binds.put(bind, value);
    }
  }

  static Instant instant(long epochNanos) {
    return Instant.ofEpochSecond(epochNanos / 1_000_000_000L, epochNanos % 1_000_000_000L);
  }
}
