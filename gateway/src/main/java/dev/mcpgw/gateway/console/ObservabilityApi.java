package dev.mcpgw.gateway.console;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.config.Durations;
import dev.mcpgw.gateway.http.ApiException;
import dev.mcpgw.gateway.http.ApiRequest;
import dev.mcpgw.gateway.http.ApiResponse;
import dev.mcpgw.gateway.http.ApiRoutes;
import dev.mcpgw.gateway.spanstore.GroupSeries;
import dev.mcpgw.gateway.spanstore.GroupStats;
import dev.mcpgw.gateway.spanstore.SpanQueries;
import dev.mcpgw.gateway.spanstore.SpanRow;
import dev.mcpgw.gateway.spanstore.SpanStore;
import dev.mcpgw.gateway.spanstore.TraceFilter;
import dev.mcpgw.gateway.spanstore.TraceSummary;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * {@code GET /observability/traces}, {@code /observability/traces/{traceId}} ({@code ?format=otlp}) and
 * {@code /observability/stats}: the stored spans in the caller's scope (every tenant for a platform admin, else the
 * caller's own). A trace the caller may not see answers the same 404 as an unknown one.
 */
public final class ObservabilityApi {
  static final Duration MAX_WINDOW = Duration.ofDays(31);
  static final int MAX_BUCKETS = 1_440;

  private ObservabilityApi() {}

  public static void register(ApiRoutes routes, SpanStore store) {
    routes.get("/observability/traces", req -> traces(req, queries(store)));
    routes.get("/observability/traces/{traceId}", req -> trace(req, queries(store)));
    routes.get("/observability/stats", req -> stats(req, store));
  }

  private static SpanQueries queries(SpanStore store) {
    return store.queries().orElseThrow(() -> new ApiException(404,
        "the span store is off (MCPGW_SPAN_STORE=false): no traces are stored", "MCPGW_SPAN_STORE"));
  }

  private static ApiResponse traces(ApiRequest req, SpanQueries queries) {
    TraceFilter filter;
    try {
      filter = TraceFilters.from(req::query);
    } catch (TraceFilters.BadParameter e) {
      throw ApiException.badRequest(e.parameter, e.getMessage());
    }
    SpanQueries.Page page = queries.traces(filter, req.caller());
    ObjectNode out = TraceJson.JSON.createObjectNode();
    ArrayNode list = out.putArray("traces");
    for (TraceSummary t : page.traces()) {
      list.addObject().put("traceId", t.traceId()).put("name", t.name()).put("start", t.start().toString())
          .put("durationMs", t.durationMs()).put("status", t.status()).put("requestId", t.requestId())
          .put("user", t.user()).put("tenant", t.tenant()).put("tool", t.tool()).put("spanCount", t.spanCount());
    }
    if (page.more()) {
      out.put("nextOffset", filter.offset() + filter.limit());
    }
    return ApiResponse.ok(out);
  }

  private static ApiResponse trace(ApiRequest req, SpanQueries queries) {
    String traceId = req.path("traceId").toLowerCase(Locale.ROOT);
    if (!traceId.matches("[0-9a-f]{32}")) {
      throw ApiException.badRequest("traceId", "traceId must be 32 hexadecimal digits");
    }
    String format = req.query("format");
    if (format != null && !format.equals("otlp")) {
      throw ApiException.badRequest("format", "format must be otlp, or absent for the console's shape");
    }
    List<SpanRow> spans = queries.trace(traceId, req.caller())
        .orElseThrow(() -> ApiException.notFound("no trace " + traceId));
    return ApiResponse.ok(format == null ? TraceJson.console(traceId, spans) : TraceJson.otlp(spans));
  }

  private static ApiResponse stats(ApiRequest req, SpanStore store) {
    SpanQueries.GroupBy groupBy = groupBy(req.query("groupBy"));
    Duration window = window(req.query("window"));
    Duration bucket = bucket(req.query("bucket"), window);
    ObjectNode out = TraceJson.JSON.createObjectNode();
    out.put("groupBy", groupBy.name().toLowerCase(Locale.ROOT)).put("window", window.toString());
    ArrayNode groups = out.putArray("groups");
    if (bucket == null) {
      for (GroupStats g : queries(store).stats(groupBy, window, req.caller())) {
        stats(groups.addObject().put("key", g.key()), g);
      }
    } else {
      out.put("bucket", bucket.toString());
      for (GroupSeries g : queries(store).series(groupBy, window, bucket, req.caller())) {
        ObjectNode group = stats(groups.addObject().put("key", g.total().key()), g.total());
        ArrayNode series = group.putArray("series");
        for (int i = 0; i < g.buckets().size(); i++) {
          GroupStats b = g.buckets().get(i);
          ObjectNode point = series.addObject().put("start", g.start().plus(bucket.multipliedBy(i)).toString());
          if (b.calls() == 0) {
            point.put("calls", 0).put("errors", 0).put("errorRate", 0.0).putNull("p50Ms").putNull("p95Ms")
                .putNull("p99Ms");
          } else {
            stats(point, b);
          }
        }
      }
    }
    if (req.caller().platformAdmin()) {
      out.set("store", TraceJson.JSON.valueToTree(store.stats()));
    }
    return ApiResponse.ok(out);
  }

  private static ObjectNode stats(ObjectNode node, GroupStats g) {
    return node.put("calls", g.calls()).put("errors", g.errors()).put("errorRate", g.errorRate())
        .put("p50Ms", g.p50Ms()).put("p95Ms", g.p95Ms()).put("p99Ms", g.p99Ms());
  }

  /** The bucket of a series, or {@code null} for none; at least a second, at most {@link #MAX_BUCKETS} per window. */
  static Duration bucket(String value, Duration window) {
    if (value == null) {
      return null;
    }
    Duration d;
    try {
      d = Durations.parse("bucket", value);
    } catch (RuntimeException e) {
      throw ApiException.badRequest("bucket", "bucket must be a duration such as 1m, 5m or 1h");
    }
    if (d.compareTo(Duration.ofSeconds(1)) < 0 || d.compareTo(window) > 0) {
      throw ApiException.badRequest("bucket", "bucket must be at least 1s and at most the window");
    }
    if (window.dividedBy(d) > MAX_BUCKETS) {
      throw ApiException.badRequest("bucket", "bucket must split the window into at most " + MAX_BUCKETS
          + " buckets");
    }
    return d;
  }

  static SpanQueries.GroupBy groupBy(String value) {
    if (value == null) {
      return SpanQueries.GroupBy.TOOL;
    }
    try {
      return SpanQueries.GroupBy.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("groupBy", "groupBy must be tool, upstream or method");
    }
  }

  static Duration window(String value) {
    if (value == null) {
      return Duration.ofHours(1);
    }
    Duration d;
    try {
      d = Durations.parse("window", value);
    } catch (RuntimeException e) {
      throw ApiException.badRequest("window", "window must be a duration such as 15m, 1h or 24h");
    }
    if (d.isZero() || d.isNegative() || d.compareTo(MAX_WINDOW) > 0) {
      throw ApiException.badRequest("window", "window must be more than 0 and at most 31 days");
    }
    return d;
  }
}
