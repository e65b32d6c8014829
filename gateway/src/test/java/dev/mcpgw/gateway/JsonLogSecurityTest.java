package dev.mcpgw.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgw.gateway.auth.Caller;
import dev.mcpgw.gateway.config.GatewaySettings;
import dev.mcpgw.gateway.logging.LogSetup;
import dev.mcpgw.gateway.testing.EverythingServer;
import dev.mcpgw.observability.Observability;
import dev.mcpgw.observability.config.ObservabilityConfigLoader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13's structured logs through a real gateway (production parts, tracing on) in front of the real
 * server-everything: with {@code MCPGW_LOG_FORMAT=json} and the access log on, everything written to stderr while a
 * tool call runs is one JSON object per line, the call's lines carry its trace id and request id, and no line carries
 * a secret: not the caller's bearer token, not a forged token's, not the upstream's configured header value, not the
 * {@code password=} or API key in the call's arguments.
 */
class JsonLogSecurityTest {
  private static final String HEADER_SECRET = "upstream-header-value-5f1c9e";
  private static final String PASSWORD = "hunter2-in-arguments";
  private static final String API_KEY = "sk-live0123456789abcdefghijkl";

  @TempDir Path tmp;

  @Test
  void theJsonLogOfAToolCallParsesCarriesItsTraceAndRequestIdsAndNoSecret() throws Exception {
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    Observability observability = Observability.builder(ObservabilityConfigLoader.load(Map.of(
        "OTEL_METRICS_EXPORTER", "none", "OTEL_TRACES_EXPORTER", "none", "OTEL_LOGS_EXPORTER", "none"), null))
        .addSpanExporter("memory", spans).build();
    GatewaySettings settings = TestGateway.settings(tmp,
        new GatewaySettings.Database("jdbc:sqlite:" + tmp.resolve("reg.db"), null, null, 4),
        Map.of("MCPGW_LOG_FORMAT", "json", "MCPGW_ACCESS_LOG", "true"));
    assertThat(settings.logging().format()).isEqualTo(GatewaySettings.Logging.Format.JSON);

    PrintStream stderr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    List<String> tokens = new ArrayList<>();
    String traceResponse;
    try (EverythingServer everything = EverythingServer.start(EverythingServer.Mode.STREAMABLE_HTTP, tmp)) {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      try (TestGateway gw = TestGateway.start(settings,
          GatewayApplication.Parts.production().withObservability(s -> observability))) {
        String admin = gw.adminToken();
        String user = gw.userToken();
        tokens.add(admin);
        tokens.add(user);
        gw.post("/gateways", "{\"name\":\"everything\",\"transport\":\"streamablehttp\",\"url\":\""
            + "http://127.0.0.1:" + everything.port() + "/mcp\",\"headers\":{\"X-Api-Key\":\"" + HEADER_SECRET + "\"}}",
            admin);
        McpRpc rpc = new McpRpc(gw, user);
        rpc.call("tools/list", "{}");

        HttpResponse<String> call = gw.send(HttpRequest.newBuilder(URI.create(gw.base + "/mcp"))
            .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
            .header("Accept", "application/json, text/event-stream").header("Authorization", "Bearer " + user)
            .header("X-Request-ID", "json-log-call-1").header("Mcp-Session-Id", rpc.sessionId())
            .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\","
                + "\"params\":{\"name\":\"everything-echo\",\"arguments\":{\"message\":\"password=" + PASSWORD
                + " api_key=" + API_KEY + "\"}}}")).build());
        assertThat(call.statusCode()).isEqualTo(200);
        traceResponse = call.headers().firstValue("traceresponse").orElseThrow();

        // a forged token of another tenant: refused, and the refusal's log line does not repeat it
        String forged = gw.app.tokens().issue(new Caller("mallory", "other", false), Duration.ofMinutes(5)) + "x";
        tokens.add(forged);
        assertThat(gw.send("GET", "/tools", forged, null).statusCode()).isEqualTo(401);
      }
    } finally {
      System.setErr(stderr);
      LogSetup.useFormat(GatewaySettings.Logging.Format.TEXT);
      observability.close();
    }

    String traceId = traceResponse.split("-")[1];
    List<JsonNode> lines = new ArrayList<>();
    for (String line : captured.toString(StandardCharsets.UTF_8).split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode json = TestGateway.JSON.readTree(line);
      assertThat(json.isObject()).as(line).isTrue();
      assertThat(json.has("timestamp") && json.has("level") && json.has("logger") && json.has("message")).as(line)
          .isTrue();
      lines.add(json);
      assertThat(line).doesNotContain(HEADER_SECRET, PASSWORD, API_KEY);
      for (String token : tokens) {
        assertThat(line).doesNotContain(token);
      }
    }
    List<JsonNode> callLines = lines.stream()
        .filter(l -> "json-log-call-1".equals(l.path("request_id").asText(null))).toList();
    assertThat(callLines).isNotEmpty().allSatisfy(l -> {
      assertThat(l.path("trace_id").asText()).isEqualTo(traceId);
      assertThat(l.path("user_id").asText()).isEqualTo("alice");
      assertThat(l.path("tenant_id").asText()).isEqualTo("acme");
    });
    assertThat(callLines).anySatisfy(l -> {
      assertThat(l.path("logger").asText()).isEqualTo("dev.mcpgw.access");
      assertThat(l.path("message").asText()).startsWith("POST /mcp 200 ");
    });
  }
}
