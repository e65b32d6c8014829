package dev.mcpgw.gateway.tenancy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.auth.Caller;
import dev.mcpgw.gateway.http.ApiException;
import dev.mcpgw.gateway.http.ApiRequest;
import dev.mcpgw.gateway.http.ApiResponse;
import dev.mcpgw.gateway.http.ApiRoutes;
import dev.mcpgw.gateway.usage.Quota;
import dev.mcpgw.gateway.usage.QuotaRepository;
import dev.mcpgw.gateway.usage.QuotaStatus;
import dev.mcpgw.gateway.usage.UsageAccountant;
import java.util.Set;

/**
 * {@code POST /quotas}, {@code GET /quotas}, {@code DELETE /quotas/{id}}. A platform admin sets quotas for any tenant;
 * a tenant admin for its own tenant (and its users); every caller reads its own tenant's quotas with what their
 * current window has used. A quota of a tenant the caller may not see does not exist for it (404).
 */
public final class QuotaApi {
  /** The most quotas one tenant has: admission checks each of them. */
  static final int MAX_PER_TENANT = 100;
  private static final Set<String> FIELDS = Set.of("tenant", "user", "metric", "limit", "window");
  private static final ObjectMapper JSON = new ObjectMapper();

  private QuotaApi() {}

  public static void register(ApiRoutes routes, QuotaRepository quotas, UsageAccountant usage, UsageQueries queries) {
    routes.post("/quotas", req -> create(req, quotas, usage, queries));
    routes.get("/quotas", req -> list(req, queries));
    routes.delete("/quotas/{id}", req -> delete(req, quotas, usage));
  }

  private static ApiResponse create(ApiRequest req, QuotaRepository quotas, UsageAccountant usage,
      UsageQueries queries) throws java.io.IOException {
    Caller caller = req.caller();
    if (!caller.admin()) {
      throw new ApiException(403, "only a tenant admin or a platform admin sets quotas", "tenant");
    }
    ObjectNode body = req.body();
    body.fieldNames().forEachRemaining(f -> {
      if (!FIELDS.contains(f)) {
        throw ApiException.badRequest(f, "unknown field '" + f + "'; allowed: tenant, user, metric, limit, window");
      }
    });
    String tenant = text(body, "tenant", 64, false);
    if (tenant == null) {
      tenant = caller.tenantId();
    }
    if (!caller.platformAdmin() && !tenant.equals(caller.tenantId())) {
      throw new ApiException(403, "a tenant admin sets quotas of its own tenant only", "tenant");
    }
    String user = text(body, "user", 256, false);
    Quota.Metric metric;
    try {
      metric = Quota.Metric.of(text(body, "metric", 16, true));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("metric", "metric must be calls, tokens or cost");
    }
    Quota.Window window;
    try {
      window = Quota.Window.of(text(body, "window", 16, true));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("window", "window must be minute, hour, day or month");
    }
    JsonNode limit = body.get("limit");
    if (limit == null || !limit.isNumber() || limit.doubleValue() < 0 || Double.isInfinite(limit.doubleValue())) {
      throw ApiException.badRequest("limit", "limit must be a number >= 0");
    }
    if (quotas.count(tenant) >= MAX_PER_TENANT) {
      throw ApiException.conflict("tenant", "tenant '" + tenant + "' already has " + MAX_PER_TENANT
          + " quotas, the most it may have; delete one first");
    }
    Quota q = quotas.create(tenant, user, metric, limit.doubleValue(), window);
    usage.reloadQuotas();
    return ApiResponse.created(view(queries.status(q)));
  }

  private static ApiResponse list(ApiRequest req, UsageQueries queries) {
    ObjectNode out = JSON.createObjectNode();
    ArrayNode list = out.putArray("quotas");
    for (QuotaStatus s : queries.quotas(req.caller(), req.query("tenant"))) {
      list.add(view(s));
    }
    return ApiResponse.ok(out);
  }

  private static ApiResponse delete(ApiRequest req, QuotaRepository quotas, UsageAccountant usage) {
    Caller caller = req.caller();
    String id = req.path("id");
    Quota q = quotas.find(id).filter(found -> caller.platformAdmin() || found.tenant().equals(caller.tenantId()))
        .orElseThrow(() -> ApiException.notFound("no quota with id '" + id + "'"));
    if (!caller.admin()) {
      throw new ApiException(403, "only a tenant admin or a platform admin deletes quotas", "id");
    }
    quotas.delete(q.id());
    usage.reloadQuotas();
    return ApiResponse.noContent();
  }

  private static ObjectNode view(QuotaStatus s) {
    Quota q = s.quota();
    ObjectNode n = JSON.createObjectNode().put("id", q.id()).put("tenant", q.tenant());
    if (q.user() == null) {
      n.putNull("user");
    } else {
      n.put("user", q.user());
    }
    n.put("metric", q.metric().wire()).put("window", q.window().wire());
    number(n, "limit", q.limit());
    number(n, "used", s.used());
    n.put("utilization", Math.round(s.utilization() * 10_000) / 10_000d).put("resetsAt", s.resetsAt().toString());
    return n;
  }

  private static void number(ObjectNode n, String field, double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      n.put(field, (long) v);
    } else {
      n.put(field, v);
    }
  }

  private static String text(ObjectNode body, String field, int max, boolean required) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        throw ApiException.badRequest(field, field + " is required");
      }
      return null;
    }
    if (!v.isTextual() || v.textValue().isBlank() || v.textValue().length() > max) {
      throw ApiException.badRequest(field, field + " must be a non-empty text of at most " + max + " characters");
    }
    return v.textValue();
  }

}
