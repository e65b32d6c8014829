package dev.mcpgw.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgw.gateway.auth.Caller;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Raw Streamable HTTP exchanges on a test gateway's {@code /mcp} as a given caller, for the session security tests. */
final class McpSessionHttp {
  static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":"
      + "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}";

  private static final java.net.http.HttpClient STREAMS = java.net.http.HttpClient.newHttpClient();

  private final TestGateway gw;
  private final String token;

  McpSessionHttp(TestGateway gw, Caller caller) {
    this.gw = gw;
    this.token = gw.app.tokens().issue(caller, Duration.ofMinutes(10));
  }

  /** The raw answer to {@code initialize}: 200 with {@code Mcp-Session-Id}, or a refusal. */
  HttpResponse<String> initialize() throws IOException, InterruptedException {
    return post(INITIALIZE, null);
  }

  /** A new session's id; fails the test when it is refused. */
  String open() throws IOException, InterruptedException {
    HttpResponse<String> r = initialize();
    if (r.statusCode() != 200) {
      throw new AssertionError("initialize -> " + r.statusCode() + " " + r.body());
    }
    String id = r.headers().firstValue("Mcp-Session-Id").orElseThrow();
    post("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", id);
    return id;
  }

  /** {@code ping} on {@code session}: the raw answer (200 when the session is this caller's and alive). */
  HttpResponse<String> ping(String session) throws IOException, InterruptedException {
    return post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}", session);
  }

  /** {@code tools/list} on {@code session}. */
  HttpResponse<String> listTools(String session) throws IOException, InterruptedException {
    return post("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\",\"params\":{}}", session);
  }

  HttpResponse<String> delete(String session) throws IOException, InterruptedException {
    return gw.send(request(session).DELETE().build());
  }

  /**
   * Opens a legacy SSE stream on {@code /sse}: the answer's body is the stream while it is open, so this returns on
   * the status and headers (a refusal's body is short and complete).
   */
  HttpResponse<java.io.InputStream> openLegacyStream() throws IOException, InterruptedException {
    HttpRequest get = HttpRequest.newBuilder(URI.create(gw.base + "/sse")).timeout(Duration.ofSeconds(30))
        .header("Accept", "text/event-stream").header("Authorization", "Bearer " + token).GET().build();
    return STREAMS.send(get, HttpResponse.BodyHandlers.ofInputStream());
  }

  static JsonNode json(HttpResponse<String> r) throws IOException {
    return TestGateway.JSON.readTree(r.body());
  }

  private HttpResponse<String> post(String body, String session) throws IOException, InterruptedException {
    return gw.send(request(session).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  private HttpRequest.Builder request(String session) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.base + "/mcp")).timeout(Duration.ofSeconds(30))
        .header("Accept", "application/json, text/event-stream").header("Authorization", "Bearer " + token);
    if (session != null) {
      b.header("Mcp-Session-Id", session);
    }
    return b;
  }
}
