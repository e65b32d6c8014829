package dev.mcpgw.gateway.transport;

import static dev.mcpgw.gateway.transport.McpHttpServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.mcp.RoutingUpstreamPool;
import dev.mcpgw.gateway.plugin.PluginChain;
import dev.mcpgw.gateway.mcp.InMemoryCatalog;
import dev.mcpgw.gateway.jsonrpc.JsonRpc;
import dev.mcpgw.gateway.mcp.ScriptedUpstreams;
import dev.mcpgw.gateway.upstream.UpstreamListener;
import dev.mcpgw.gateway.store.UpstreamSpec;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Resumable SSE streams of Streamable HTTP (MCP 2025-06-18 / 2025-11-25 "Resumability and Redelivery"): every event
 * has an id unique in the session, streams start with a priming event, and a GET with {@code Last-Event-ID} replays
 * what the client missed, on the stream it missed it on, from a bounded buffer.
 */
@Timeout(60)
class ResumableStreamsHttpTest {
  private final InMemoryCatalog catalog = new InMemoryCatalog().tool("g1", "alpha", "progress");
  private final ScriptedUpstreams scripted = new ScriptedUpstreams();
  private final CountDownLatch release = new CountDownLatch(1);
  private McpHttpServer server;
  private String session;

  /** One SSE event as read off the wire. */
  private record Event(String id, String data) {}

  @BeforeEach
  void start() throws Exception {
    scripted.add("g1", "alpha", (u, method, params) -> {
      if (!"tools/call".equals(method)) {
        return CompletableFuture.completedFuture(JsonRpc.MAPPER.createObjectNode());
      }
      String token = params.at("/_meta/progressToken").asText();
      return CompletableFuture.supplyAsync(() -> {
        u.notifyListener("notifications/progress", progress(token, 1));
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        u.notifyListener("notifications/progress", progress(token, 2));
        return JsonRpc.MAPPER.createObjectNode().put("done", true);
      });
    }).capabilities("{\"logging\":{}}");
    RoutingUpstreamPool pool = RoutingUpstreamPool.wrap(scripted);
    pool.connect("g1", new UpstreamSpec("alpha", UpstreamSpec.Transport.STDIO, null, "x", null, null, null),
        UpstreamListener.NONE);
    server = new McpHttpServer(catalog, pool, PluginChain.empty(),
        McpSettings.DEFAULTS.withRequestTimeout(Duration.ofSeconds(30)).withReplayEvents(3));
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

  private static Event next(BufferedReader in) throws Exception {
    String id = null;
    StringBuilder data = null;
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      if (line.isEmpty()) {
        if (id != null || data != null) {
          return new Event(id, data == null ? null : data.toString());
        }
      } else if (line.startsWith("id: ")) {
        id = line.substring(4);
      } else if (line.startsWith("data:")) {
        data = new StringBuilder(line.substring(5).strip());
      }
    }
    return null;
  }

  private static BufferedReader reader(HttpResponse<InputStream> r) {
    return new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
  }

  private HttpResponse<InputStream> get(String lastEventId) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url("/mcp"))).header("Accept", "text/event-stream")
        .header("Mcp-Session-Id", session);
    if (lastEventId != null) {
      b.header("Last-Event-ID", lastEventId);
    }
    return McpHttpServer.HTTP.send(b.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
  }

  @Test
  void aPostAnswerCutOffMidCallIsResumedWithLastEventIdAndEndsWithTheResult() throws Exception {
    HttpResponse<InputStream> post = McpHttpServer.HTTP.send(server.post("/mcp",
        "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\",\"params\":{\"name\":\"alpha-progress\","
            + "\"_meta\":{\"progressToken\":\"p\"}}}", Map.of("Mcp-Session-Id", session)).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    BufferedReader in = reader(post);
    Event priming = next(in);
    Event first = next(in);
    assertThat(priming.data()).isEmpty();
    assertThat(first.id()).isEqualTo(priming.id().replace("-0", "-1"));
    assertThat(json(first.data()).at("/params/progress").asInt()).isEqualTo(1);

    // the connection breaks; the call goes on and its last messages wait for the client
    post.body().close();
    release.countDown();
    await().atMost(Duration.ofSeconds(10)).until(() -> server.endpoints.dispatcher().callsInFlight() == 0);

    HttpResponse<InputStream> resumed = get(first.id());
    assertThat(resumed.statusCode()).isEqualTo(200);
    BufferedReader again = reader(resumed);
    Event second = next(again);
    Event result = next(again);
    assertThat(json(second.data()).at("/params/progress").asInt()).isEqualTo(2);
    assertThat(json(result.data()).get("id").asInt()).isEqualTo(5);
    assertThat(json(result.data()).at("/result/done").asBoolean()).isTrue();
    assertThat(List.of(second.id(), result.id())).doesNotContain(first.id()).doesNotHaveDuplicates();
    // the stream is over: the resumed connection ends after the result
    assertThat(next(again)).isNull();
  }

  private ScriptedUpstreams.Upstream ownUpstreamSession() throws Exception {
    HttpResponse<String> level = server.send(server.post("/mcp",
        "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"logging/setLevel\",\"params\":{\"level\":\"info\"}}",
        Map.of("Mcp-Session-Id", session)));
    assertThat(level.statusCode()).isEqualTo(200);
    assertThat(scripted.opened).hasSize(1);
    return scripted.opened.get(0);
  }

  private static ObjectNode log(int n) {
    return JsonRpc.MAPPER.createObjectNode().put("level", "info").put("data", "line " + n);
  }

  @Test
  void theGetStreamReplaysWhatTheClientMissedWhileDisconnected() throws Exception {
    ScriptedUpstreams.Upstream upstream = ownUpstreamSession();
    HttpResponse<InputStream> stream = get(null);
    BufferedReader in = reader(stream);
    assertThat(next(in).id()).isEqualTo("0-0");
    upstream.notifyListener("notifications/message", log(1));
    Event seen = next(in);
    assertThat(seen.id()).isEqualTo("0-1");
    stream.body().close();

    upstream.notifyListener("notifications/message", log(2));
    upstream.notifyListener("notifications/message", log(3));
    BufferedReader resumed = reader(get(seen.id()));

    List<String> replayed = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Event e = next(resumed);
      replayed.add(e.id() + " " + json(e.data()).at("/params/data").asText());
    }
    assertThat(replayed).containsExactly("0-2 line 2", "0-3 line 3");
    // the resumed connection is the session's stream now: live messages follow
    upstream.notifyListener("notifications/message", log(4));
    assertThat(next(resumed).id()).isEqualTo("0-4");
  }

  @Test
  void theReplayBufferIsBoundedToTheNewestEvents() throws Exception {
    ScriptedUpstreams.Upstream upstream = ownUpstreamSession();
    HttpResponse<InputStream> stream = get(null);
    assertThat(next(reader(stream)).id()).isEqualTo("0-0");
    stream.body().close();
    for (int i = 1; i <= 6; i++) {
      upstream.notifyListener("notifications/message", log(i));
    }

    BufferedReader resumed = reader(get("0-0"));

    // three events kept (replayEvents = 3): the oldest were dropped
    assertThat(List.of(next(resumed).id(), next(resumed).id(), next(resumed).id()))
        .containsExactly("0-4", "0-5", "0-6");
  }

  @Test
  void aLastEventIdTheGatewayDidNotIssueIs400AndAnUnknownStream404NamingTheHeader() throws Exception {
    HttpResponse<InputStream> bad = get("not-an-id");
    HttpResponse<InputStream> unknown = get("99-1");

    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(json(new String(bad.body().readAllBytes(), StandardCharsets.UTF_8)).at("/error/data/field").asText())
        .isEqualTo("Last-Event-ID");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(json(new String(unknown.body().readAllBytes(), StandardCharsets.UTF_8)).at("/error/data/field")
        .asText()).isEqualTo("Last-Event-ID");
  }
}
