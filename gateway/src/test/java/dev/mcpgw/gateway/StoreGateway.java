package dev.mcpgw.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgw.gateway.config.GatewaySettings;
import dev.mcpgw.observability.Observability;
import dev.mcpgw.observability.config.ObservabilityConfigLoader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.awaitility.Awaitility;

/**
 * A gateway as {@code serve --demo} runs it, whose tracing pipeline (100% sampling, a 50 ms batch delay, no other
 * exporter) feeds the embedded span store, for the store's API, console and security tests.
 */
final class StoreGateway implements AutoCloseable {
  final TestGateway gw;

  StoreGateway(TestGateway gw) {
    this.gw = gw;
  }

  static StoreGateway start(Path dataDir, Map<String, String> env) throws Exception {
    GatewaySettings settings = TestGateway.settings(dataDir,
        new GatewaySettings.Database("jdbc:sqlite:" + dataDir.resolve("reg.db"), null, null, 4), env);
    Map<String, String> otel = new HashMap<>(Map.of("OTEL_TRACES_EXPORTER", "none", "OTEL_METRICS_EXPORTER", "none",
        "OTEL_LOGS_EXPORTER", "none", "OTEL_TRACES_SAMPLER", "always_on", "OTEL_BSP_SCHEDULE_DELAY", "50"));
    GatewayApplication.Parts parts = GatewayApplication.Parts.production().withObservability((s, store) -> {
      Observability.Builder b = Observability.builder(ObservabilityConfigLoader.load(otel, null));
      store.ifPresent(e -> b.addSpanExporter("span-store", e));
      return b.build();
    });
    return new StoreGateway(TestGateway.startDemo(settings, parts));
  }

  /** Opens a session as {@code token} and calls {@code tool} with {@code arguments} (JSON) under {@code requestId}. */
  HttpResponse<String> callTool(String token, String tool, String arguments, String requestId) throws Exception {
    return callTool(token, tool, arguments, requestId, null);
  }

  /**
   * The same, both requests sent with {@code traceparent} when not null: an agent that propagates its run's trace
   * makes every call of the run one trace.
   */
  HttpResponse<String> callTool(String token, String tool, String arguments, String requestId, String traceparent)
      throws Exception {
    HttpResponse<String> init = post(token, null, null, traceparent,
        "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\","
        + "\"params\":{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\","
        + "\"version\":\"1\"}}}");
    if (init.statusCode() != 200) {
      throw new AssertionError("initialize -> " + init.statusCode() + " " + init.body());
    }
    String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
    return post(token, session, requestId, traceparent,
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":"
        + "{\"name\":\"" + tool + "\",\"arguments\":" + arguments + "}}");
  }

  private HttpResponse<String> post(String token, String session, String requestId, String traceparent, String body)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.base + "/mcp")).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
        .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(body));
    if (session != null) {
      b.header("Mcp-Session-Id", session).header("MCP-Protocol-Version", "2025-11-25");
    }
    if (requestId != null) {
      b.header("X-Request-ID", requestId);
    }
    if (traceparent != null) {
      b.header("traceparent", traceparent);
    }
    return gw.send(b.build());
  }

  /** Waits until the store answers one trace for {@code requestId} to a platform admin, and returns its id. */
  String awaitTrace(String requestId) {
    String[] id = new String[1];
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
      JsonNode traces = gw.get("/observability/traces?requestId=" + requestId, gw.platformAdminToken()).path("traces");
      // complete: the HTTP root and the upstream CLIENT span are both in
      if (traces.size() == 1 && traces.get(0).path("spanCount").asInt() >= 4
          && "POST /mcp".equals(traces.get(0).path("name").asText())) {
        id[0] = traces.get(0).path("traceId").asText();
        return true;
      }
      return false;
    });
    return id[0];
  }

  /**
   * Makes one trace of {@code requestIds.length} calls of {@code tool} as {@code token} (each its own session, all
   * with one {@code traceparent}), waits until the store finds that trace by each of the request ids, and returns its
   * id.
   */
  String agentRun(String token, String tool, String arguments, String... requestIds) throws Exception {
    String traceId = java.util.HexFormat.of().formatHex(randomBytes(16));
    String traceparent = "00-" + traceId + "-" + java.util.HexFormat.of().formatHex(randomBytes(8)) + "-01";
    for (String requestId : requestIds) {
      HttpResponse<String> r = callTool(token, tool, arguments, requestId, traceparent);
      if (r.statusCode() != 200) {
        throw new AssertionError("tools/call -> " + r.statusCode() + " " + r.body());
      }
    }
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
      for (String requestId : requestIds) {
        JsonNode traces = gw.get("/observability/traces?requestId=" + requestId, gw.platformAdminToken())
            .path("traces");
        if (traces.size() != 1 || !traceId.equals(traces.get(0).path("traceId").asText())) {
          return false;
        }
      }
      // complete: each call's MCP span and upstream CLIENT span are in
      int calls = 0;
      int upstream = 0;
      for (JsonNode span : gw.get("/observability/traces/" + traceId, gw.platformAdminToken()).path("spans")) {
        calls += span.path("name").asText().equals("tools/call " + tool) ? 1 : 0;
        upstream += span.path("kind").asText().equals("CLIENT") ? 1 : 0;
      }
      return calls == requestIds.length && upstream >= requestIds.length;
    });
    return traceId;
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    new java.security.SecureRandom().nextBytes(b);
    return b;
  }

  @Override
  public void close() {
    gw.close();
  }
}
