package dev.mcpgw.gateway.transport;

import static dev.mcpgw.gateway.transport.McpHttpServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.mcp.RoutingUpstreamPool;
import dev.mcpgw.gateway.plugin.PluginChain;
import dev.mcpgw.gateway.mcp.InMemoryCatalog;
import dev.mcpgw.gateway.jsonrpc.JsonRpc;
import dev.mcpgw.gateway.mcp.ScriptedUpstreams;
import dev.mcpgw.gateway.upstream.UpstreamListener;
import dev.mcpgw.gateway.store.UpstreamSpec;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class McpEndpointsHttpTest {
  private final InMemoryCatalog catalog = new InMemoryCatalog()
      .tool("g1", "alpha", "echo").tool("g1", "alpha", "progress").tool("g2", "down", "echo")
      .server("srv", "alpha-echo");
  private final ScriptedUpstreams scripted = new ScriptedUpstreams();
  private final RoutingUpstreamPool pool = RoutingUpstreamPool.wrap(scripted);
  private final CountDownLatch release = new CountDownLatch(1);
  private McpHttpServer server;
  private String session;

  @BeforeEach
  void start() throws Exception {
    scripted.add("g1", "alpha", (u, method, params) -> {
      if (!"progress".equals(params.path("name").asText())) {
        ObjectNode r = JsonRpc.MAPPER.createObjectNode();
        r.putArray("content").addObject().put("type", "text").put("text", params.path("arguments").toString());
        return CompletableFuture.completedFuture(r);
      }
      // progress 1 now; 2 and the result only after the test saw 1 on the wire: proves streaming, not buffering
      String token = params.at("/_meta/progressToken").asText();
      return CompletableFuture.supplyAsync(() -> {
        u.notifyListener("notifications/progress", progress(token, 1));
        try {
          release.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        u.notifyListener("notifications/progress", progress(token, 2));
        return JsonRpc.MAPPER.createObjectNode().put("done", true);
      });
    });
    pool.connect("g1", new UpstreamSpec("alpha", UpstreamSpec.Transport.STDIO, null, "x", null, null, null),
        UpstreamListener.NONE);
    server = new McpHttpServer(catalog, pool, PluginChain.empty(),
        McpSettings.DEFAULTS.withMaxBodyBytes(2048).withRequestTimeout(Duration.ofSeconds(20))
            .withAllowedOrigins(Set.of("https://app.example.com")));
    session = server.initialize("/mcp");
  }

  @AfterEach
  void stop() throws Exception {
    release.countDown();
    server.close();
  }

  private static ObjectNode progress(String token, int n) {
    return JsonRpc.MAPPER.createObjectNode().put("progressToken", token).put("progress", n);
  }

  private HttpResponse<String> post(String body) throws Exception {
    return server.send(server.post("/mcp", body, Map.of("Mcp-Session-Id", session)));
  }

  private static String request(String method, String params) {
    return "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"" + method + "\",\"params\":" + params + "}";
  }

  @Test
  void initializeIssuesASessionAndAnswersJson() throws Exception {
    HttpResponse<String> r = server.send(server.post("/mcp", McpHttpServer.INIT, Map.of()));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
    assertThat(r.headers().firstValue("Mcp-Session-Id").orElseThrow()).matches("[0-9a-f-]{36}");
    assertThat(json(r.body()).at("/result/protocolVersion").asText()).isEqualTo("2025-06-18");
  }

  @Test
  void listsAndCallsToolsInTheSession() throws Exception {
    JsonNode list = json(post(request("tools/list", "{}")).body());
    assertThat(list.at("/result/tools/0/name").asText()).isEqualTo("alpha-echo");
    HttpResponse<String> call = post(request("tools/call", "{\"name\":\"alpha-echo\",\"arguments\":{\"m\":\"hi\"}}"));
    assertThat(call.statusCode()).isEqualTo(200);
    assertThat(json(call.body()).at("/result/content/0/text").asText()).isEqualTo("{\"m\":\"hi\"}");
  }

  @Test
  void malformedJsonIs400WithParseError() throws Exception {
    HttpResponse<String> r = post("{\"jsonrpc\":\"2.0\",\"id\":1,");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(json(r.body()).at("/error/code").asInt()).isEqualTo(-32700);
    assertThat(r.body()).doesNotContain("at com.fasterxml");
  }

  @Test
  void anInvalidRequestIs32600KeepingItsId() throws Exception {
    HttpResponse<String> r = post("{\"id\":9,\"method\":\"ping\"}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(json(r.body()).at("/error/code").asInt()).isEqualTo(-32600);
    assertThat(json(r.body()).get("id").asInt()).isEqualTo(9);
  }

  @Test
  void anUnknownMethodIs32601() throws Exception {
    assertThat(json(post(request("sampling/teleport", "{}")).body()).at("/error/code").asInt()).isEqualTo(-32601);
  }

  @Test
  void badParamsAre32602NamingTheField() throws Exception {
    JsonNode r = json(post(request("tools/call", "{\"arguments\":{}}")).body());
    assertThat(r.at("/error/code").asInt()).isEqualTo(-32602);
    assertThat(r.at("/error/data/field").asText()).isEqualTo("params.name");
  }

  @Test
  void anUnknownToolIsNamed() throws Exception {
    JsonNode r = json(post(request("tools/call", "{\"name\":\"ghost\"}")).body());
    assertThat(r.at("/error/message").asText()).isEqualTo("Unknown tool: ghost");
  }

  @Test
  void anUpstreamThatIsDownIsNamed() throws Exception {
    JsonNode r = json(post(request("tools/call", "{\"name\":\"down-echo\"}")).body());
    assertThat(r.at("/error/message").asText()).contains("upstream 'down'");
  }

  @Test
  void anOversizeBodyIs413() throws Exception {
    HttpResponse<String> r = post(request("tools/call", "{\"name\":\"" + "x".repeat(4000) + "\"}"));
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(json(r.body()).at("/error/data/field").asText()).isEqualTo("body");
  }

  @Test
  void anUnknownVirtualServerIs404AndAKnownOneServesItsTools() throws Exception {
    HttpResponse<String> r = server.send(server.post("/servers/nope/mcp", McpHttpServer.INIT, Map.of()));
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(json(r.body()).at("/error/message").asText()).contains("nope");
    String s = server.initialize("/servers/srv/mcp");
    JsonNode list = json(server.send(server.post("/servers/srv/mcp", request("tools/list", "{}"),
        Map.of("Mcp-Session-Id", s))).body());
    assertThat(list.at("/result/tools")).hasSize(1);
  }

  @Test
  void aSessionOfOneEndpointIsUnknownOnAnother() throws Exception {
    HttpResponse<String> r = server.send(server.post("/servers/srv/mcp", request("tools/list", "{}"),
        Map.of("Mcp-Session-Id", session)));
    assertThat(r.statusCode()).isEqualTo(404);
  }

  @Test
  void requestsWithoutSessionAre400AndWithAnUnknownOne404() throws Exception {
    HttpResponse<String> none = server.send(server.post("/mcp", request("tools/list", "{}"), Map.of()));
    assertThat(none.statusCode()).isEqualTo(400);
    assertThat(json(none.body()).at("/error/data/field").asText()).isEqualTo("Mcp-Session-Id");
    HttpResponse<String> unknown = server.send(server.post("/mcp", request("tools/list", "{}"),
        Map.of("Mcp-Session-Id", "not-a-session")));
    assertThat(unknown.statusCode()).isEqualTo(404);
  }

  @Test
  void deleteEndsTheSession() throws Exception {
    HttpResponse<String> d = server.send(HttpRequest.newBuilder(URI.create(server.url("/mcp")))
        .header("Mcp-Session-Id", session).DELETE());
    assertThat(d.statusCode()).isEqualTo(204);
    assertThat(post(request("ping", "{}")).statusCode()).isEqualTo(404);
  }

  @Test
  void aForeignOriginIs403AndLoopbackOrConfiguredOnesPass() throws Exception {
    HttpResponse<String> evil = server.send(server.post("/mcp", McpHttpServer.INIT, Map.of("Origin", "https://evil.example")));
    assertThat(evil.statusCode()).isEqualTo(403);
    assertThat(json(evil.body()).at("/error/data/field").asText()).isEqualTo("Origin");
    assertThat(server.send(server.post("/mcp", McpHttpServer.INIT, Map.of("Origin", "http://localhost:5173"))).statusCode())
        .isEqualTo(200);
    assertThat(server.send(server.post("/mcp", McpHttpServer.INIT, Map.of("Origin", "https://app.example.com")))
        .statusCode()).isEqualTo(200);
  }

  @Test
  void notificationsAndResponsesFromTheClientAre202() throws Exception {
    assertThat(post("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":3}}")
        .statusCode()).isEqualTo(202);
    assertThat(post("{\"jsonrpc\":\"2.0\",\"id\":\"s1\",\"result\":{}}").statusCode()).isEqualTo(202);
  }

  @Test
  void anUnsupportedProtocolVersionHeaderIs400() throws Exception {
    HttpResponse<String> r = server.send(server.post("/mcp", request("ping", "{}"),
        Map.of("Mcp-Session-Id", session, "MCP-Protocol-Version", "2020-01-01")));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(json(r.body()).at("/error/data/field").asText()).isEqualTo("MCP-Protocol-Version");
  }

  @Test
  void anUnsupportedProtocolVersionHeaderIs400OnGetAndDeleteToo() throws Exception {
    for (String method : new String[] {"GET", "DELETE"}) {
      HttpResponse<String> r = server.send(HttpRequest.newBuilder(URI.create(server.url("/mcp")))
          .header("Accept", "text/event-stream").header("Mcp-Session-Id", session)
          .header("MCP-Protocol-Version", "2020-01-01").method(method, HttpRequest.BodyPublishers.noBody()));
      assertThat(r.statusCode()).as(method).isEqualTo(400);
      assertThat(json(r.body()).at("/error/data/field").asText()).isEqualTo("MCP-Protocol-Version");
    }
  }

  @Test
  void mirroredHeadersThatDisagreeWithTheBodyAre400HeaderMismatchNamingTheHeader() throws Exception {
    String call = request("tools/call", "{\"name\":\"alpha-echo\",\"arguments\":{}}");

    HttpResponse<String> method = server.send(server.post("/mcp", call,
        Map.of("Mcp-Session-Id", session, "Mcp-Method", "tools/list")));
    HttpResponse<String> name = server.send(server.post("/mcp", call,
        Map.of("Mcp-Session-Id", session, "Mcp-Method", "tools/call", "Mcp-Name", "down-echo")));
    HttpResponse<String> agree = server.send(server.post("/mcp", call,
        Map.of("Mcp-Session-Id", session, "Mcp-Method", "tools/call", "Mcp-Name", "alpha-echo")));

    assertThat(method.statusCode()).isEqualTo(400);
    assertThat(json(method.body()).at("/error/code").asInt()).isEqualTo(-32001);
    assertThat(json(method.body()).at("/error/message").asText()).contains("Mcp-Method");
    assertThat(json(method.body()).at("/id").asInt()).isEqualTo(5);
    assertThat(name.statusCode()).isEqualTo(400);
    assertThat(json(name.body()).at("/error/data/field").asText()).isEqualTo("Mcp-Name");
    // nothing reached the upstream for the refused requests
    assertThat(scripted.received).hasSize(1);
    assertThat(agree.statusCode()).isEqualTo(200);
  }

  @Test
  void batchesAreRejectedSince2025_06_18AndAnsweredFor2025_03_26() throws Exception {
    String batch = "[" + request("ping", "{}") + ",{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"nope\"}]";
    HttpResponse<String> rejected = post(batch);
    assertThat(rejected.statusCode()).isEqualTo(400);
    assertThat(json(rejected.body()).at("/error/code").asInt()).isEqualTo(-32600);
    HttpResponse<String> old = server.send(server.post("/mcp", batch,
        Map.of("Mcp-Session-Id", session, "MCP-Protocol-Version", "2025-03-26")));
    assertThat(old.statusCode()).isEqualTo(200);
    JsonNode answers = json(old.body());
    assertThat(answers).hasSize(2);
    assertThat(answers.get(1).at("/error/code").asInt()).isEqualTo(-32601);
  }

  @Test
  void wrongContentTypeIs415AndUnacceptableAcceptIs406() throws Exception {
    HttpResponse<String> form = server.send(server.post("/mcp", request("ping", "{}"),
        Map.of("Mcp-Session-Id", session, "Content-Type", "text/plain")));
    assertThat(form.statusCode()).isEqualTo(415);
    HttpResponse<String> xml = server.send(server.post("/mcp", request("ping", "{}"),
        Map.of("Mcp-Session-Id", session, "Accept", "application/xml")));
    assertThat(xml.statusCode()).isEqualTo(406);
  }

  @Test
  void progressStreamsInOrderWhileTheCallRunsThenTheResult() throws Exception {
    HttpResponse<Stream<String>> r = McpHttpServer.HTTP.send(server.post("/mcp",
        request("tools/call", "{\"name\":\"alpha-progress\",\"_meta\":{\"progressToken\":\"p-1\"}}"),
        Map.of("Mcp-Session-Id", session)).build(), HttpResponse.BodyHandlers.ofLines());
    assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");
    Iterator<String> lines = r.body().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).iterator();
    JsonNode first = json(lines.next());
    // the call is still blocked upstream: this event cannot have been buffered until the end
    assertThat(first.at("/params/progress").asInt()).isEqualTo(1);
    assertThat(first.at("/params/progressToken").asText()).isEqualTo("p-1");
    assertThat(server.endpoints.pendingProgressRoutes()).isEqualTo(1);
    release.countDown();
    assertThat(json(lines.next()).at("/params/progress").asInt()).isEqualTo(2);
    JsonNode result = json(lines.next());
    assertThat(result.get("id").asInt()).isEqualTo(5);
    assertThat(result.at("/result/done").asBoolean()).isTrue();
    assertThat(lines.hasNext()).isFalse();
    assertThat(server.endpoints.pendingProgressRoutes()).isZero();
  }

  @Test
  void theGetStreamOpensOncePerSession() throws Exception {
    HttpRequest get = HttpRequest.newBuilder(URI.create(server.url("/mcp"))).header("Accept", "text/event-stream")
        .header("Mcp-Session-Id", session).GET().build();
    HttpResponse<Stream<String>> stream = McpHttpServer.HTTP.send(get, HttpResponse.BodyHandlers.ofLines());
    assertThat(stream.statusCode()).isEqualTo(200);
    assertThat(stream.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");
    assertThat(McpHttpServer.HTTP.send(get, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(409);
    // ending the session ends its stream
    server.send(HttpRequest.newBuilder(URI.create(server.url("/mcp"))).header("Mcp-Session-Id", session).DELETE());
    assertThat(stream.body().filter(l -> l.startsWith("data: ")).count()).isZero();
  }

  @Test
  void legacySseAnswersOnTheStream() throws Exception {
    HttpResponse<Stream<String>> sse = McpHttpServer.HTTP.send(HttpRequest.newBuilder(URI.create(server.url("/servers/srv/sse")))
        .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofLines());
    Iterator<String> data = sse.body().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).iterator();
    String endpoint = data.next();
    assertThat(endpoint).startsWith("/servers/srv/message?sessionId=");
    HttpResponse<String> accepted = server.send(server.post(endpoint, McpHttpServer.INIT, Map.of()));
    assertThat(accepted.statusCode()).isEqualTo(202);
    assertThat(json(data.next()).at("/result/protocolVersion").asText()).isEqualTo("2025-06-18");
    server.send(server.post(endpoint, request("tools/call", "{\"name\":\"alpha-echo\",\"arguments\":{}}"), Map.of()));
    assertThat(json(data.next()).at("/result/content/0/text").asText()).isEqualTo("{}");
    assertThat(server.send(server.post("/servers/srv/message?sessionId=nope", request("ping", "{}"), Map.of())).statusCode())
        .isEqualTo(404);
    assertThat(server.send(server.post("/message", request("ping", "{}"), Map.of())).statusCode()).isEqualTo(400);
  }

  @Test
  void everyAnswerToBadInputIsJsonWithoutStackTraces() throws Exception {
    for (HttpResponse<String> r : List.of(post("not json"), post("[]"), post("{}"),
        server.send(server.post("/servers/x/other", "{}", Map.of())))) {
      assertThat(r.statusCode()).isBetween(400, 499);
      assertThat(json(r.body()).has("error")).isTrue();
      assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }
  }
}
