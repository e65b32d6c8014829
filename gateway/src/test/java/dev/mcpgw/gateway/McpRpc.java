package dev.mcpgw.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** One MCP session over raw JSON-RPC on a test gateway's {@code /mcp}: initialize, then one POST per call. */
final class McpRpc {
  private final TestGateway gw;
  private final String token;
  private final String session;
  private int id;

  McpRpc(TestGateway gw, String token) throws Exception {
    this.gw = gw;
    this.token = token;
    HttpResponse<String> init = post("{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":"
        + "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}",
        null);
    assertThat(init.statusCode()).as(init.body()).isEqualTo(200);
    this.session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
  }

  /** The session's {@code Mcp-Session-Id}. */
  String sessionId() {
    return session;
  }

  /** The JSON-RPC answer to {@code method} with {@code params} (JSON text). */
  JsonNode call(String method, String params) throws Exception {
    HttpResponse<String> r = post("{\"jsonrpc\":\"2.0\",\"id\":" + (++id) + ",\"method\":\"" + method
        + "\",\"params\":" + params + "}", session);
    return TestGateway.JSON.readTree(r.body());
  }

  private HttpResponse<String> post(String body, String sessionId) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.base + "/mcp")).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
        .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(body));
    if (sessionId != null) {
      b.header("Mcp-Session-Id", sessionId);
    }
    return gw.send(b.build());
  }
}
