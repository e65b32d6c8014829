package dev.mcpgw.gateway;

import dev.mcpgw.observability.Observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgw.gateway.config.GatewaySettings;
import dev.mcpgw.gateway.federation.ScriptedUpstreamPool;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The MCP endpoints as the gateway mounts them: behind request id, body limit and authentication, over the
 * registry's catalog (SQLite), with upstreams scripted by a test pool. The real upstream clients and a real MCP
 * client are in {@code McpServingEndToEndTest}.
 */
class McpServingHttpTest {
  @TempDir Path tmp;
  private TestGateway gw;
  private String serverId;
  private String token;

  @BeforeEach
  void start() throws Exception {
    ScriptedUpstreamPool pool = new ScriptedUpstreamPool();
    pool.upstream("everything").tools("[{\"name\":\"echo\",\"inputSchema\":{\"type\":\"object\"}},{\"name\":\"add\"}]");
    GatewaySettings settings = TestGateway.settings(tmp, new GatewaySettings.Database("jdbc:sqlite:" + tmp.resolve("reg.db"), null, null, 4),
        Map.of("MCPGW_MAX_BODY_BYTES", "4096"));
    gw = TestGateway.start(settings, new GatewayApplication.Parts(s -> Observability.noop(), (s, o) -> pool,
        GatewayApplication.Parts.production().mcpEndpoints()));
    String gatewayId = gw.post("/gateways", "{\"name\":\"everything\",\"transport\":\"streamablehttp\","
        + "\"url\":\"http://127.0.0.1:9/mcp\"}").get("id").asText();
    gw.post("/prompts", "{\"name\":\"greet\",\"template\":\"Hello {{ who }}\",\"arguments\":[{\"name\":\"who\",\"required\":true}]}");
    gw.post("/resources", "{\"uri\":\"docs://guide\",\"content\":\"# Guide\",\"mimeType\":\"text/markdown\"}");
    serverId = gw.post("/servers", "{\"name\":\"curated\",\"gateways\":[\"" + gatewayId + "\"]}").get("id").asText();
    token = gw.userToken();
  }

  @AfterEach
  void stop() {
    gw.close();
  }

  private HttpResponse<String> post(String path, String body, String session) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.base + path)).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
        .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(body));
    if (session != null) {
      b.header("Mcp-Session-Id", session);
    }
    return gw.send(b.build());
  }

  private String initialize(String path) throws Exception {
    HttpResponse<String> r = post(path, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
        + "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}", null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("X-Request-ID")).isPresent();
    return r.headers().firstValue("Mcp-Session-Id").orElseThrow();
  }

  private JsonNode rpc(String path, String session, String method, String params) throws Exception {
    HttpResponse<String> r = post(path, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"" + method + "\",\"params\":" + params
        + "}", session);
    return TestGateway.JSON.readTree(r.body());
  }

  @Test
  void theWholeCatalogIsServedAtMcpWithPrefixedNames() throws Exception {
    String s = initialize("/mcp");
    JsonNode tools = rpc("/mcp", s, "tools/list", "{}");
    assertThat(tools.at("/result/tools")).extracting(t -> t.get("name").asText())
        .containsExactly("everything-add", "everything-echo");
    JsonNode prompt = rpc("/mcp", s, "prompts/get", "{\"name\":\"greet\",\"arguments\":{\"who\":\"Ada\"}}");
    assertThat(prompt.at("/result/messages/0/content/text").asText()).isEqualTo("Hello Ada");
    JsonNode resource = rpc("/mcp", s, "resources/read", "{\"uri\":\"docs://guide\"}");
    assertThat(resource.at("/result/contents/0/text").asText()).isEqualTo("# Guide");
  }

  @Test
  void aCallReachesTheOwningUpstreamAndItsErrorIsRelayed() throws Exception {
    String s = initialize("/mcp");
    // the scripted upstream knows no tools/call: its own -32601 comes back unchanged
    JsonNode call = rpc("/mcp", s, "tools/call", "{\"name\":\"everything-echo\",\"arguments\":{\"message\":\"x\"}}");
    assertThat(call.at("/error/code").asInt()).isEqualTo(-32601);
    assertThat(call.at("/error/message").asText()).isEqualTo("Method not found: tools/call");
    assertThat(rpc("/mcp", s, "tools/call", "{\"name\":\"echo\"}").at("/error/message").asText())
        .isEqualTo("Unknown tool: echo");
  }

  @Test
  void aVirtualServerServesOriginalNames() throws Exception {
    String path = "/servers/" + serverId + "/mcp";
    String s = initialize(path);
    assertThat(rpc(path, s, "tools/list", "{}").at("/result/tools")).extracting(t -> t.get("name").asText())
        .containsExactly("add", "echo");
    assertThat(post("/servers/no-such-server/mcp", "{}", null).statusCode()).isEqualTo(404);
  }

  @Test
  void unauthenticatedCallersAre401AndOversizeBodies413() throws Exception {
    HttpResponse<String> anonymous = gw.send(HttpRequest.newBuilder(URI.create(gw.base + "/mcp"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build());
    assertThat(anonymous.statusCode()).isEqualTo(401);
    String s = initialize("/mcp");
    HttpResponse<String> big = post("/mcp", "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\",\"params\":{\"pad\":\""
        + "x".repeat(5000) + "\"}}", s);
    assertThat(big.statusCode()).isEqualTo(413);
  }

  /**
   * Every early answer (refused, unknown path, wrong method) waits for a body still on its way: answering before it
   * lets the server close the connection under the client's write, which then sees a broken pipe, not its answer.
   */
  @ParameterizedTest(name = "{0} {1} -> {3}")
  @CsvSource({
      "POST, /gateways, false, HTTP/1.1 401 Unauthorized",
      "POST, /no-such-endpoint, true, HTTP/1.1 404 Not Found",
      "POST, /tools, true, HTTP/1.1 405 Method Not Allowed"})
  void anEarlyAnswerToAPostWhoseBodyArrivesLateStillGoesOutAndKeepsTheConnection(String method, String path,
      boolean validToken, String expectedStatus) throws Exception {
    URI base = URI.create(gw.base);
    String headers = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
        + (validToken ? gw.adminToken() : "garbage.token.here")
        + "\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n";
    try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(10_000);
      java.io.OutputStream out = socket.getOutputStream();
      out.write(headers.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      out.flush();
      // the body comes late: give the server up to half a second to answer without it (which it must not do, as it
      // would then close the connection under the body still being written)
      java.io.InputStream raw = socket.getInputStream();
      try {
        await().atMost(Duration.ofMillis(500)).until(() -> raw.available() > 0);
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        // nothing yet: the server waits for the body
      }
      out.write("{}".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      out.write((headers + "{}").getBytes(java.nio.charset.StandardCharsets.US_ASCII)); // a second request after it
      out.flush();

      java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(raw,
          java.nio.charset.StandardCharsets.US_ASCII));
      assertThat(readStatusAndSkipBody(in)).isEqualTo(expectedStatus);
      assertThat(readStatusAndSkipBody(in)).as("the same connection answers the next request")
          .isEqualTo(expectedStatus);
    }
  }

  /**
   * A body a little over the limit is read and dropped before the 413 (BodyLimitFilter.DRAIN_BYTES): closing the
   * connection with it unread made the client's TCP stack discard the answer, so a client saw a closed connection
   * instead of its 413. The connection then answers the next request.
   */
  @Test
  void aBodyALittleOverTheLimitGetsIts413AndTheConnectionAnswersTheNextRequest() throws Exception {
    URI base = URI.create(gw.base);
    String body = "{\"pad\":\"" + "x".repeat(5000) + "\"}";
    String request = "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
        + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
    try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(10_000);
      java.io.OutputStream out = socket.getOutputStream();
      int head = request.length() - body.length() + 100;
      out.write(request.substring(0, head).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      out.flush();
      // the rest of the body comes late: the server must wait for it (answering at once, it would close the
      // connection with the body unread)
      java.io.InputStream raw = socket.getInputStream();
      try {
        await().atMost(Duration.ofMillis(500)).until(() -> raw.available() > 0);
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        // nothing yet: the server reads the body
      }
      out.write((request.substring(head) + request).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      out.flush();

      java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(raw,
          java.nio.charset.StandardCharsets.US_ASCII));
      assertThat(readStatusAndBody(in)).first().asString().startsWith("HTTP/1.1 413");
      assertThat(readStatusAndBody(in)).as("the same connection answers the next request").first().asString()
          .startsWith("HTTP/1.1 413");
    }
  }

  /**
   * A body far over the limit (more than BodyLimitFilter.DRAIN_BYTES beyond it) is not read: the 413 comes at once,
   * though not a byte of the body was sent, and the connection closes.
   */
  @Test
  void aBodyFarOverTheLimitIsAnswered413WithoutBeingRead() throws Exception {
    String headers = "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
        + "\r\nContent-Type: application/json\r\nContent-Length: 10000000\r\n\r\n";
    try (java.net.Socket socket = rawSocketSending(headers)) {
      java.io.BufferedReader in = asciiReader(socket);
      assertThat(readStatusAndBody(in)).first().asString().startsWith("HTTP/1.1 413");
      assertThat(in.readLine()).as("the connection is closed").isNull();
    }
  }

  /**
   * A body the endpoint reads whole, here arriving in two parts, is not read again after the answer (the body limit
   * filter skips its drain then): the connection is left exactly at the next request, which it answers.
   */
  @Test
  void aBodyTheEndpointReadWholeLeavesTheConnectionAtTheNextRequest() throws Exception {
    String session = initialize("/mcp");
    URI base = URI.create(gw.base);
    java.util.function.IntFunction<String> ping = id -> "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"ping\"}";
    java.util.function.Function<String, String> request = body -> "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Authorization: Bearer " + token + "\r\nMcp-Session-Id: " + session + "\r\nMCP-Protocol-Version: 2025-11-25\r\n"
        + "Content-Type: application/json\r\nAccept: application/json, text/event-stream\r\nContent-Length: "
        + body.length() + "\r\n\r\n" + body;
    try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(10_000);
      java.io.OutputStream out = socket.getOutputStream();
      String first = request.apply(ping.apply(11));
      out.write(first.substring(0, first.length() - 5).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      out.flush();
      out.write((first.substring(first.length() - 5) + request.apply(ping.apply(12)))
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      out.flush();

      java.io.BufferedReader in = asciiReader(socket);
      assertThat(readStatusAndBody(in)).containsExactly("HTTP/1.1 200 OK", "{\"jsonrpc\":\"2.0\",\"id\":11,\"result\":{}}");
      assertThat(readStatusAndBody(in)).as("the same connection answers the next request")
          .containsExactly("HTTP/1.1 200 OK", "{\"jsonrpc\":\"2.0\",\"id\":12,\"result\":{}}");
    }
  }

  /** A socket to the gateway (10 s read timeout) that has sent {@code bytes} (ASCII) and nothing more. */
  private java.net.Socket rawSocketSending(String bytes) throws java.io.IOException {
    URI base = URI.create(gw.base);
    java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort());
    socket.setSoTimeout(10_000);
    socket.getOutputStream().write(bytes.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    return socket;
  }

  private static java.io.BufferedReader asciiReader(java.net.Socket socket) throws java.io.IOException {
    return new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
        java.nio.charset.StandardCharsets.US_ASCII));
  }

  /** The status line and the body of the next response on {@code in} (a Content-Length body of ASCII). */
  private static java.util.List<String> readStatusAndBody(java.io.BufferedReader in) throws java.io.IOException {
    String status = in.readLine();
    int length = 0;
    for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
      }
    }
    char[] body = new char[length];
    int read = 0;
    while (read < length) {
      int n = in.read(body, read, length - read);
      if (n < 0) {
        break;
      }
      read += n;
    }
    return java.util.List.of(status, new String(body, 0, read));
  }

  @Test
  void aRefusedPostThatExpectsContinueIsAnsweredWithoutAskingForItsBody() throws Exception {
    String headers = "POST /gateways HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer garbage.token.here\r\n"
        + "Content-Type: application/json\r\nContent-Length: 2048\r\nExpect: 100-continue\r\n\r\n";
    try (java.net.Socket socket = rawSocketSending(headers)) {
      java.io.BufferedReader in = asciiReader(socket);
      // the client holds its body back until told to continue: a refusal must come as the final answer at once
      assertThat(in.readLine()).isEqualTo("HTTP/1.1 401 Unauthorized");
    }
  }

  /** The status line of the next response on {@code in}, its headers and body consumed (a Content-Length body). */
  private static String readStatusAndSkipBody(java.io.BufferedReader in) throws java.io.IOException {
    String status = in.readLine();
    int length = 0;
    for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
      }
    }
    for (int i = 0; i < length; i++) {
      in.read();
    }
    return status;
  }

  @Test
  void anotherUsersSessionIsUnknown() throws Exception {
    String s = initialize("/mcp");
    token = gw.adminToken();
    assertThat(post("/mcp", "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\"}", s).statusCode()).isEqualTo(404);
  }
}
