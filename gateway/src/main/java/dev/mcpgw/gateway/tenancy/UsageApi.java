package dev.mcpgw.gateway.tenancy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.auth.Caller;
import dev.mcpgw.gateway.http.ApiException;
import dev.mcpgw.gateway.http.ApiRequest;
import dev.mcpgw.gateway.http.ApiResponse;
import dev.mcpgw.gateway.http.ApiRoutes;
import dev.mcpgw.gateway.usage.UsageAccountant;
import dev.mcpgw.gateway.usage.UsageRepository;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * {@code GET /usage?groupBy=tenant|user|tool|model&from=&to=}: the usage store's sums per group over a range
 * (ISO-8601 times, the last 24 hours by default, minute resolution). A platform admin sees every tenant (or one, with
 * {@code tenant=}); a tenant admin its own tenant; any other caller only its own calls.
 */
public final class UsageApi {
  static final Duration DEFAULT_RANGE = Duration.ofHours(24);
  static final Duration MAX_RANGE = Duration.ofDays(366);
  private static final ObjectMapper JSON = new ObjectMapper();

  private UsageApi() {}

  public static void register(ApiRoutes routes, UsageRepository store, UsageAccountant usage) {
    routes.get("/usage", req -> usage(req, store, usage.pricing().currency()));
  }

  private static ApiResponse usage(ApiRequest req, UsageRepository store, String currency) {
    UsageRepository.GroupBy groupBy = groupBy(req.query("groupBy"));
    Instant to = time("to", req.query("to"), Instant.now());
    Instant from = time("from", req.query("from"), to.minus(DEFAULT_RANGE));
    if (!from.isBefore(to)) {
      throw ApiException.badRequest("from", "from must be before to");
    }
    if (Duration.between(from, to).compareTo(MAX_RANGE) > 0) {
      throw ApiException.badRequest("from", "the range from..to must be at most 366 days");
    }
    Caller caller = req.caller();
    String tenant = req.query("tenant");
    if (!caller.platformAdmin()) {
      if (tenant != null && !tenant.equals(caller.tenantId())) {
        throw new ApiException(403, "only a platform admin reads the usage of another tenant", "tenant");
      }
      tenant = caller.tenantId();
    }
    String user = caller.admin() ? null : caller.userId();
    // whole minutes: a minute's roll-up counts when its start is in [from, to)
    long fromMinute = Math.floorDiv(from.toEpochMilli(), 60_000L) * 60_000L;
    ObjectNode out = JSON.createObjectNode();
    ArrayNode groups = out.putArray("groups");
    for (UsageRepository.Group g : store.groups(groupBy, fromMinute, to.toEpochMilli(), tenant, user)) {
      groups.addObject().put("key", g.key()).put("calls", g.calls()).put("errors", g.errors())
          .put("argumentsTokens", g.argumentsTokens()).put("resultTokens", g.resultTokens())
          .put("inputTokens", g.inputTokens()).put("outputTokens", g.outputTokens()).put("cost", g.cost())
          .put("currency", currency).put("p50Ms", g.p50Ms()).put("p95Ms", g.p95Ms());
    }
    return ApiResponse.ok(out);
  }

  static UsageRepository.GroupBy groupBy(String value) {
    if (value == null) {
      return UsageRepository.GroupBy.TOOL;
    }
    try {
      return UsageRepository.GroupBy.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("groupBy", "groupBy must be tenant, user, tool or model");
    }
  }

  static Instant time(String name, String value, Instant fallback) {
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return Instant.parse(value);
      } catch (DateTimeParseException e2) {
        throw ApiException.badRequest(name, name + " must be an ISO-8601 time such as 2026-12-01T00:00:00Z");
      }
    }
  }
}
