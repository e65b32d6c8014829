package dev.mcpgw.gateway.transport;

import static dev.mcpgw.gateway.transport.McpHttpServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mcpgw.gateway.mcp.RoutingUpstreamPool;
import dev.mcpgw.gateway.plugin.PluginChain;
import dev.mcpgw.gateway.mcp.InMemoryCatalog;
import dev.mcpgw.gateway.mcp.ScriptedUpstreams;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class McpSessionsLifecycleTest {
  private final InMemoryCatalog catalog = new InMemoryCatalog().tool("g1", "alpha", "echo").tool("g7", "held", "wait")
      .server("srv", "alpha-echo");
  private final CompletableFuture<JsonNode> heldCall = new CompletableFuture<>();
  private final ScriptedUpstreams upstreams = new ScriptedUpstreams();
  private McpHttpServer server;

  @BeforeEach
  void start() throws Exception {
    upstreams.add("g1", "alpha", (u, method, params) -> CompletableFuture.completedFuture(
        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()));
    upstreams.add("g7", "held", (u, method, params) -> heldCall);
    server = new McpHttpServer(catalog, RoutingUpstreamPool.wrap(upstreams), PluginChain.empty(),
        McpSettings.DEFAULTS.withIntervals(Duration.ofMillis(200), Duration.ofMillis(100)));
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  private HttpRequest getStream(String path, String session) {
    return HttpRequest.newBuilder(URI.create(server.url(path))).header("Accept", "text/event-stream")
        .header("Mcp-Session-Id", session).GET().build();
  }

  private void delete(String session) throws Exception {
    HttpResponse<String> r = server.send(HttpRequest.newBuilder(URI.create(server.url("/mcp")))
        .header("Mcp-Session-Id", session).DELETE());
    assertThat(r.statusCode()).isEqualTo(204);
  }

  @Test
  void aThousandSessionsOpenAndCloseWithoutLeavingSessionsOrThreads() throws Exception {
    int baselineThreads = ManagementFactory.getThreadMXBean().getThreadCount();
    for (int i = 0; i < 1000; i++) {
      delete(server.initialize("/mcp"));
    }
    assertThat(server.endpoints.openSessions()).isZero();
    // a thread per session would show as a thousand more; pools warming up (common pool, selectors) add a few
    await().atMost(Duration.ofSeconds(10))
        .until(() -> ManagementFactory.getThreadMXBean().getThreadCount() <= baselineThreads + 32);
  }

  @Test
  void aThousandClientsWithUpstreamSessionsOfTheirOwnLeaveNoStateOrSessionBehind() throws Exception {
    String init = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
        + "\"2025-11-25\",\"capabilities\":{\"sampling\":{},\"roots\":{}},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}";
    String call = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"alpha-echo\"}}";
    int baselineThreads = ManagementFactory.getThreadMXBean().getThreadCount();
    for (int i = 0; i < 1000; i++) {
      String s = server.send(server.post("/mcp", init, Map.of())).headers().firstValue("Mcp-Session-Id").orElseThrow();
      assertThat(server.send(server.post("/mcp", call, Map.of("Mcp-Session-Id", s))).statusCode()).isEqualTo(200);
      delete(s);
    }

    // every client got its own upstream session (it declared sampling), and each ended with the client's session;
    // the session cache tells the dispatcher of an end on its own executor, so the last ends may land just after the
    // last DELETE's answer
    assertThat(upstreams.opened).hasSize(1000);
    assertThat(server.endpoints.openSessions()).isZero();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(upstreams.opened).allMatch(ScriptedUpstreams.Upstream::isClosed);
      assertThat(server.endpoints.dispatcher().clientSessions()).isZero();
      assertThat(server.endpoints.dispatcher().pendingServerRequests()).isZero();
    });
    await().atMost(Duration.ofSeconds(10))
        .until(() -> ManagementFactory.getThreadMXBean().getThreadCount() <= baselineThreads + 32);
  }

  @Test
  void streamsOfClientsThatWentAwayAreNoticedAndTheirSessionsCanEnd() throws Exception {
    List<String> sessions = new ArrayList<>();
    List<Socket> clients = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String s = server.initialize("/mcp");
      sessions.add(s);
      clients.add(rawGetStream(s));
    }
    for (Socket c : clients) {
      c.close();
    }
    // once the keep-alive found each client gone, the session takes a new stream again
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      // the answer's headers only: the stream itself never ends
      HttpResponse<java.io.InputStream> again = McpHttpServer.HTTP.send(getStream("/mcp", sessions.get(0)),
          HttpResponse.BodyHandlers.ofInputStream());
      again.body().close();
      assertThat(again.statusCode()).isEqualTo(200);
    });
    for (String s : sessions) {
      delete(s);
    }
    assertThat(server.endpoints.openSessions()).isZero();
  }

  /** A GET stream on a plain socket, read up to its status line: closing the socket is a client going away. */
  private Socket rawGetStream(String session) throws Exception {
    URI uri = URI.create(server.url("/mcp"));
    Socket socket = new Socket(uri.getHost(), uri.getPort());
    socket.getOutputStream().write(("GET /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
        + "Mcp-Session-Id: " + session + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    String status = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
        .readLine();
    assertThat(status).contains(" 200");
    return socket;
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void aCatalogChangeReachesOpenStreamsOfTheScopeAsListChanged() throws Exception {
    String all = server.initialize("/mcp");
    Iterator<String> events = McpHttpServer.HTTP.send(getStream("/mcp", all), HttpResponse.BodyHandlers.ofLines())
        .body().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).iterator();
    // let a round see the catalog as it was before it changes
    await().pollDelay(Duration.ofMillis(300)).until(() -> true);
    catalog.tool("g1", "alpha", "added").upstreamPrompt("g1", "alpha", "p");
    List<String> methods = new ArrayList<>();
    methods.add(json(events.next()).get("method").asText());
    methods.add(json(events.next()).get("method").asText());
    assertThat(methods).containsExactlyInAnyOrder("notifications/tools/list_changed", "notifications/prompts/list_changed");
  }

  @Test
  void aClientThatDisconnectsMidCallCancelsTheUpstreamCall() throws Exception {
    String session = server.initialize("/mcp");
    String body = "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":{\"name\":\"held-wait\"}}";
    URI uri = URI.create(server.url("/mcp"));
    try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
      socket.getOutputStream().write(("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
          + "Accept: application/json, text/event-stream\r\nMcp-Session-Id: " + session + "\r\nContent-Length: "
          + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
      await().atMost(Duration.ofSeconds(10)).until(() -> server.endpoints.dispatcher().callsInFlight() == 1);
    }
    // the upstream client cancels the upstream request when its future is cancelled
    await().atMost(Duration.ofSeconds(10)).until(heldCall::isCancelled);
    await().atMost(Duration.ofSeconds(5)).until(() -> server.endpoints.dispatcher().callsInFlight() == 0);
  }

  @Test
  void settingsNameTheFieldTheyReject() {
    McpSettings d = McpSettings.DEFAULTS;
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> d.withMaxBodyBytes(0)).hasMessageContaining("maxBodyBytes");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> d.withRequestTimeout(Duration.ZERO))
        .hasMessageContaining("requestTimeout");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> d.withAllowedOrigins(java.util.Set.of("example.com/x")))
        .hasMessageContaining("allowedOrigins");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> d.withReplayEvents(0)).hasMessageContaining("replayEvents");
    assertThat(d.withAllowedOrigins(java.util.Set.of("HTTPS://App.Example.com:8443")).allowedOrigins())
        .containsExactly("https://app.example.com:8443");
  }

  @Test
  void aSessionIsUsableOnlyWithTheHeaderItWasGiven() throws Exception {
    String s = server.initialize("/mcp");
    HttpResponse<String> r = server.send(server.post("/mcp", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}",
        Map.of("Mcp-Session-Id", s)));
    assertThat(json(r.body()).has("result")).isTrue();
  }
}
