package dev.mcpgw.gateway.usage;

import dev.mcpgw.gateway.store.Database;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;

/**
 * The {@code usage_minutes} table: adds roll-ups in one batch (upsert-add, rows in key order so that two instances
 * writing the same rows lock them in the same order) and answers grouped sums. Uses the untraced connection: the
 * accounting thread's writes are not the requests' business.
 */
public final class UsageRepository {
  private static final String LAT_COLUMNS =
      IntStream.range(0, LatencyBuckets.COUNT).mapToObj(i -> "lat_" + i).collect(Collectors.joining(", "));
  private static final String UPSERT = "INSERT INTO usage_minutes (minute_start, tenant_id, user_id, tool, model,"
      + " calls, errors, arguments_tokens, result_tokens, input_tokens, output_tokens, cost_nanos, " + LAT_COLUMNS
      + ") VALUES (:minute, :tenant, :user, :tool, :model, :calls, :errors, :argumentsTokens, :resultTokens,"
      + " :inputTokens, :outputTokens, :costNanos, "
      + IntStream.range(0, LatencyBuckets.COUNT).mapToObj(i -> ":lat_" + i).collect(Collectors.joining(", "))
      + ") ON CONFLICT (minute_start, tenant_id, user_id, tool, model) DO UPDATE SET "
      + List.of("calls", "errors", "arguments_tokens", "result_tokens", "input_tokens", "output_tokens", "cost_nanos")
          .stream().map(c -> c + " = usage_minutes." + c + " + excluded." + c).collect(Collectors.joining(", "))
      + ", " + IntStream.range(0, LatencyBuckets.COUNT)
          .mapToObj(i -> "lat_" + i + " = usage_minutes.lat_" + i + " + excluded.lat_" + i)
          .collect(Collectors.joining(", "));

  /** What {@code GET /usage} groups by: the column of each. */
  public enum GroupBy {
    TENANT("tenant_id"), USER("user_id"), TOOL("tool"), MODEL("model");

    final String column;

    GroupBy(String column) {
      this.column = column;
    }

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** One group's sums over a range. */
  public record Group(String key, long calls, long errors, long argumentsTokens, long resultTokens, long inputTokens,
      long outputTokens, double cost, double p50Ms, double p95Ms) {}

  /**
   * One group's sums over one time bucket.
   *
   * @param index the bucket's number: it starts at {@code start + index * bucket} of the query
   */
  public record Bucket(String key, long index, long calls, long errors, long argumentsTokens, long resultTokens,
      long inputTokens, long outputTokens, double cost) {}

  /** A tenant's (or one user's) sums since a time: what quotas compare with their limits. */
  public record Sums(long calls, long tokens, double cost) {
    static final Sums ZERO = new Sums(0, 0, 0);

    double of(Quota.Metric metric) {
      return switch (metric) {
        case CALLS -> calls;
        case TOKENS -> tokens;
        case COST -> cost;
      };
    }
  }

  private final Jdbi jdbi;

  public UsageRepository(Database db) {
    this.jdbi = db.untracedJdbi();
  }

  /** Adds {@code rows} to the table in one transaction. */
  void add(Map<UsageKey, UsageTotals> rows) {
    if (rows.isEmpty()) {
      return;
    }
    List<UsageKey> keys = new ArrayList<>(rows.keySet());
    keys.sort(null);
    jdbi.useTransaction(h -> {
      PreparedBatch batch = h.prepareBatch(UPSERT);
      for (UsageKey k : keys) {
        UsageTotals t = rows.get(k);
        batch.bind("minute", k.minute()).bind("tenant", k.tenant()).bind("user", k.user()).bind("tool", k.tool())
            .bind("model", k.model()).bind("calls", t.calls).bind("errors", t.errors)
            .bind("argumentsTokens", t.argumentsTokens).bind("resultTokens", t.resultTokens)
            .bind("inputTokens", t.inputTokens).bind("outputTokens", t.outputTokens).bind("costNanos", t.costNanos);
        for (int i = 0; i < LatencyBuckets.COUNT; i++) {
          batch.bind("lat_" + i, t.latency[i]);
        }
        batch.add();
      }
      batch.execute();
    });
  }

  /**
   * The sums per {@code groupBy} of the minutes in {@code [fromMillis, toMillis)}, of one tenant (or every tenant for
   * {@code null}) and one user (or all for {@code null}); the most expensive first, then by calls.
   */
  public List<Group> groups(GroupBy groupBy, long fromMillis, long toMillis, String tenantOrNull, String userOrNull) {
    StringBuilder sql = new StringBuilder("SELECT ").append(groupBy.column).append(" AS k, SUM(calls) AS calls,"
        + " SUM(errors) AS errors, SUM(arguments_tokens) AS at, SUM(result_tokens) AS rt, SUM(input_tokens) AS it,"
        + " SUM(output_tokens) AS ot, SUM(cost_nanos) AS cost");
    for (int i = 0; i < LatencyBuckets.COUNT; i++) {
      sql.append(", SUM(lat_").append(i).append(") AS l").append(i);
    }
    sql.append(where(tenantOrNull, userOrNull));
    sql.append(" GROUP BY ").append(groupBy.column).append(" ORDER BY SUM(cost_nanos) DESC, SUM(calls) DESC, k");
    return jdbi.withHandle(h -> {
      Query q = bind(h.createQuery(sql.toString()), fromMillis, toMillis, tenantOrNull, userOrNull);
      return q.map((rs, ctx) -> {
        long[] lat = new long[LatencyBuckets.COUNT];
        for (int i = 0; i < lat.length; i++) {
          lat[i] = rs.getLong("l" + i);
        }
        return new Group(rs.getString("k"), rs.getLong("calls"), rs.getLong("errors"), rs.getLong("at"),
            rs.getLong("rt"), rs.getLong("it"), rs.getLong("ot"), UsageTotals.fromNanos(rs.getLong("cost")),
            LatencyBuckets.percentile(lat, 0.5), LatencyBuckets.percentile(lat, 0.95));
      }).list();
    });
  }

  /**
   * The sums per {@code groupBy} and time bucket of the minutes in {@code [fromMillis, toMillis)} (of one tenant and
   * one user, or all for {@code null}): bucket {@code i} holds the minutes in
   * {@code [startMillis + i * bucketMillis, startMillis + (i + 1) * bucketMillis)}. Buckets without calls are left
   * out; ordered by key, then bucket. The same filter as {@link #groups}.
   */
  public List<Bucket> buckets(GroupBy groupBy, long startMillis, long bucketMillis, long fromMillis, long toMillis,
      String tenantOrNull, String userOrNull) {
    if (bucketMillis <= 0 || startMillis > fromMillis) {
      throw new IllegalArgumentException("bucket must be positive and start at or before from");
    }
    // the bucket number as literals (two longs, computed here): PostgreSQL does not see two bound parameters of one
    // value as the same GROUP BY expression
    String index = "((minute_start - " + startMillis + ") / " + bucketMillis + ")";
    String sql = "SELECT " + groupBy.column + " AS k, " + index + " AS b, SUM(calls) AS calls, SUM(errors) AS errors,"
        + " SUM(arguments_tokens) AS at, SUM(result_tokens) AS rt, SUM(input_tokens) AS it, SUM(output_tokens) AS ot,"
        + " SUM(cost_nanos) AS cost" + where(tenantOrNull, userOrNull) + " GROUP BY " + groupBy.column + ", " + index
        + " ORDER BY k, b";
    return jdbi.withHandle(h -> bind(h.createQuery(sql), fromMillis, toMillis, tenantOrNull, userOrNull)
        .map((rs, ctx) -> new Bucket(rs.getString("k"), rs.getLong("b"), rs.getLong("calls"), rs.getLong("errors"),
            rs.getLong("at"), rs.getLong("rt"), rs.getLong("it"), rs.getLong("ot"),
            UsageTotals.fromNanos(rs.getLong("cost")))).list());
  }

  private static String where(String tenantOrNull, String userOrNull) {
    return " FROM usage_minutes WHERE minute_start >= :from AND minute_start < :to"
        + (tenantOrNull == null ? "" : " AND tenant_id = :tenant") + (userOrNull == null ? "" : " AND user_id = :user");
  }

  private static Query bind(Query q, long fromMillis, long toMillis, String tenantOrNull, String userOrNull) {
    q.bind("from", fromMillis).bind("to", toMillis);
    if (tenantOrNull != null) {
      q.bind("tenant", tenantOrNull);
    }
    if (userOrNull != null) {
      q.bind("user", userOrNull);
    }
    return q;
  }

  /** The sums of {@code tenant} (and {@code user}, unless {@code null}) in minutes from {@code fromMillis} on. */
  Sums since(String tenant, String userOrNull, long fromMillis) {
    String sql = "SELECT SUM(calls) AS calls, SUM(arguments_tokens + result_tokens + input_tokens + output_tokens)"
        + " AS tokens, SUM(cost_nanos) AS cost FROM usage_minutes WHERE tenant_id = :tenant AND minute_start >= :from"
        + (userOrNull == null ? "" : " AND user_id = :user");
    return jdbi.withHandle(h -> {
      Query q = h.createQuery(sql).bind("tenant", tenant).bind("from", fromMillis);
      if (userOrNull != null) {
        q.bind("user", userOrNull);
      }
      return q.map((rs, ctx) -> new Sums(rs.getLong("calls"), rs.getLong("tokens"),
          UsageTotals.fromNanos(rs.getLong("cost")))).findOne().orElse(Sums.ZERO);
    });
  }
}
