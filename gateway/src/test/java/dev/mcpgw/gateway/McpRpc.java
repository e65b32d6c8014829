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
    return TestGateway.rpcAnswer(r);
  }

  /** The session's id. */
  String session() {
    return session;
  }

  /** Ends the session ({@code DELETE /mcp}); answers the status. */
  int end() throws Exception {
    return gw.send(HttpRequest.newBuilder(URI.create(gw.base + "/mcp")).timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + token).header("Mcp-Session-Id", session).DELETE().build()).statusCode();
  }

  /** The GET that opens the session's stream (notifications outside any request arrive on it). */
  HttpRequest stream() {
    return HttpRequest.newBuilder(URI.create(gw.base + "/mcp")).header("Accept", "text/event-stream")
        .header("Authorization", "Bearer " + token).header("Mcp-Session-Id", session).GET().build();
  }

  /** A POST of the JSON-RPC {@code body} on this session, for a caller that reads the answer itself (streaming). */
  HttpRequest request(String body) {
    return builder(body, session).build();
  }

  private HttpResponse<String> post(String body, String sessionId) throws Exception {
    return gw.send(builder(body, sessionId).build());
  }

  private HttpRequest.Builder builder(String body, String sessionId) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.base + "/mcp")).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
        .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(body));
    if (sessionId != null) {
      b.header("Mcp-Session-Id", sessionId);
    }
    return b;
  }
}
