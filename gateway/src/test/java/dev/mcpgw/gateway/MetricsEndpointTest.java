package dev.mcpgw.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mcpgw.gateway.config.GatewaySettings;
import dev.mcpgw.gateway.trace.RecordingTracing;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /metrics} of a running gateway, with the Prometheus exporter on and off. */
class MetricsEndpointTest {
  @TempDir Path tmp;
  private RecordingTracing tracing;
  private TestGateway gw;

  @AfterEach
  void stop() {
    if (gw != null) {
      gw.close();
    }
    tracing.close();
  }

  private void start(Map<String, String> otel) throws Exception {
    tracing = RecordingTracing.start(otel);
    GatewaySettings settings = TestGateway.settings(tmp,
        new GatewaySettings.Database("jdbc:sqlite:" + tmp.resolve("reg.db"), null, null, 4), Map.of());
    gw = TestGateway.start(settings, GatewayApplication.Parts.production().withObservability(s -> tracing.observability()));
  }

  private HttpResponse<String> mcp(String token, String body, String session) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.base + "/mcp")).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
        .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(body));
    if (session != null) {
      b.header("Mcp-Session-Id", session);
    }
    return gw.send(b.build());
  }

  @Test
  void servesPrometheusTextWithRequestAndToolCallMetricsToAuthenticatedScrapers() throws Exception {
    start(Map.of("OTEL_METRICS_EXPORTER", "prometheus"));
    String token = gw.userToken();
    String session = mcp(token, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
        + "\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}", null)
        .headers().firstValue("Mcp-Session-Id").orElseThrow();
    mcp(token, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"nope\"}}", session);

    assertThat(gw.send("GET", "/metrics", token, null).statusCode()).isEqualTo(403);
    HttpResponse<String> scrape = gw.send("GET", "/metrics", gw.platformAdminToken(), null);
    assertThat(scrape.statusCode()).isEqualTo(200);
    assertThat(scrape.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
    assertThat(scrape.body())
        .contains("mcp_server_operation_duration_seconds_count{")
        .containsPattern("mcpgw_tool_calls_total\\{[^}]*error_type=\"-32602\"[^}]*gen_ai_tool_name=\"nope\"[^}]*"
            + "tenant_id=\"acme\"[^}]*} 1")
        .containsPattern("http_server_request_duration_seconds_count\\{[^}]*http_request_method=\"POST\"[^}]*"
            + "http_response_status_code=\"200\"[^}]*http_route=\"/mcp\"[^}]*tenant_id=\"acme\"[^}]*}")
        // labels are bounded: never a user id
        .doesNotContain("user_id=");
    // OpenMetrics, as Prometheus asks for it: the latency buckets carry the trace id of a measurement made since the
    // previous scrape
    mcp(token, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"nope\"}}", session);
    HttpResponse<String> open = gw.send(HttpRequest.newBuilder(URI.create(gw.base + "/metrics"))
        .header("Authorization", "Bearer " + gw.platformAdminToken())
        .header("Accept", "application/openmetrics-text; version=1.0.0; charset=utf-8").GET().build());
    assertThat(open.headers().firstValue("Content-Type")).hasValueSatisfying(t ->
        assertThat(t).startsWith("application/openmetrics-text"));
    assertThat(open.body()).endsWith("# EOF\n")
        .containsPattern("mcp_server_operation_duration_seconds_bucket\\{[^}]*} \\d+ # \\{[^}]*trace_id=\"[0-9a-f]{32}\"")
        .containsPattern("http_server_request_duration_seconds_bucket\\{[^}]*} \\d+ # \\{[^}]*trace_id=\"[0-9a-f]{32}\"");
    assertThat(gw.send("GET", "/metrics", null, null).statusCode()).isEqualTo(401);
    assertThat(gw.send("POST", "/metrics", token, "{}").statusCode()).isEqualTo(405);
  }

  @Test
  void answersAJson404NamingTheSettingWhenMetricsAreNotScraped() throws Exception {
    start(Map.of("OTEL_METRICS_EXPORTER", "none"));
    HttpResponse<String> r = gw.send("GET", "/metrics", gw.userToken(), null);
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(TestGateway.JSON.readTree(r.body()).get("error").asText()).contains("OTEL_METRICS_EXPORTER=prometheus");
  }
}
