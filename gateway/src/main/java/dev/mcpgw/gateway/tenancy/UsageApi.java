package dev.mcpgw.gateway.tenancy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.http.ApiRequest;
import dev.mcpgw.gateway.http.ApiResponse;
import dev.mcpgw.gateway.http.ApiRoutes;
import dev.mcpgw.gateway.usage.UsageRepository;
import java.time.Instant;
import java.util.List;

/**
 * {@code GET /usage?groupBy=tenant|user|tool|model&from=&to=&bucket=}: the usage store's sums per group over a range
 * (ISO-8601 times, the last 24 hours by default, minute resolution), and with {@code bucket} (such as {@code 1h}) each
 * group's sums per time bucket. Who sees what is {@link UsageQueries}'.
 */
public final class UsageApi {
  private static final ObjectMapper JSON = new ObjectMapper();

  private UsageApi() {}

  public static void register(ApiRoutes routes, UsageQueries queries) {
    routes.get("/usage", req -> usage(queries.usage(req.caller(), UsageQueries.query(req::query, Instant.now()))));
  }

  private static ApiResponse usage(UsageQueries.Answer answer) {
    ObjectNode out = JSON.createObjectNode();
    UsageQueries.Series series = answer.series();
    if (series != null) {
      out.put("bucket", answer.query().bucket().toString()).put("start", series.start().toString())
          .put("buckets", series.count());
    }
    ArrayNode groups = out.putArray("groups");
    for (UsageRepository.Group g : answer.groups()) {
      ObjectNode n = groups.addObject().put("key", g.key()).put("calls", g.calls()).put("errors", g.errors())
          .put("argumentsTokens", g.argumentsTokens()).put("resultTokens", g.resultTokens())
          .put("inputTokens", g.inputTokens()).put("outputTokens", g.outputTokens()).put("cost", g.cost())
          .put("currency", answer.currency()).put("p50Ms", g.p50Ms()).put("p95Ms", g.p95Ms());
      if (series != null) {
        ArrayNode buckets = n.putArray("buckets");
        for (UsageRepository.Bucket b : series.byKey().getOrDefault(g.key(), List.of())) {
          buckets.addObject().put("start", series.start().plus(series.bucket().multipliedBy(b.index())).toString())
              .put("calls", b.calls()).put("errors", b.errors()).put("argumentsTokens", b.argumentsTokens())
              .put("resultTokens", b.resultTokens()).put("inputTokens", b.inputTokens())
              .put("outputTokens", b.outputTokens()).put("cost", b.cost());
        }
      }
    }
    return ApiResponse.ok(out);
  }
}
