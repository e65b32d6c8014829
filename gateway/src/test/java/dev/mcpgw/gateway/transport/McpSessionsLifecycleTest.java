package dev.mcpgw.gateway.transport;

import static dev.mcpgw.gateway.transport.McpHttpServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mcpgw.gateway.plugin.PluginChain;
import dev.mcpgw.gateway.transport.rpc.InMemoryCatalog;
import dev.mcpgw.gateway.transport.rpc.ScriptedUpstreams;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class McpSessionsLifecycleTest {
  private final InMemoryCatalog catalog = new InMemoryCatalog().tool("g1", "alpha", "echo").server("srv", "alpha-echo");
  private McpHttpServer server;

  @BeforeEach
  void start() throws Exception {
    server = new McpHttpServer(catalog, RoutingUpstreamPool.wrap(new ScriptedUpstreams()), PluginChain.empty(),
        McpSettings.defaults().withIntervals(Duration.ofMillis(200), Duration.ofMillis(100)));
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
    await().atMost(Duration.ofSeconds(10))
        .until(() -> ManagementFactory.getThreadMXBean().getThreadCount() <= baselineThreads + 4);
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
  void settingsNameTheFieldTheyReject() {
    McpSettings d = McpSettings.defaults();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> d.withMaxBodyBytes(0)).hasMessageContaining("maxBodyBytes");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> d.withRequestTimeout(Duration.ZERO))
        .hasMessageContaining("requestTimeout");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> d.withAllowedOrigins(java.util.Set.of("example.com/x")))
        .hasMessageContaining("allowedOrigins");
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
