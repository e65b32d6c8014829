package dev.mcpgw.gateway.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.auth.Caller;
import dev.mcpgw.gateway.catalog.Scope;
import dev.mcpgw.gateway.jsonrpc.JsonRpc;
import dev.mcpgw.gateway.plugin.PluginChain;
import dev.mcpgw.gateway.upstream.UpstreamException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Per-client state through the dispatcher: server-to-client requests, log levels, subscriptions, clean-up. */
class ClientSessionsTest {
  private static final String CAPABLE = "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{\"sampling\":{},"
      + "\"elicitation\":{},\"roots\":{\"listChanged\":true}},\"clientInfo\":{\"name\":\"c\",\"version\":\"1\"}}";
  private static final String PLAIN = "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},"
      + "\"clientInfo\":{\"name\":\"p\",\"version\":\"1\"}}";

  private final InMemoryCatalog catalog = new InMemoryCatalog()
      .tool("g1", "alpha", "asks")
      .tool("g2", "quiet", "echo")
      .upstreamResource("g1", "alpha", "file:///watched.txt")
      .localResource("mcpgw://notes", "local");
  private final ScriptedUpstreams pool = new ScriptedUpstreams();
  private ScriptedUpstreams.Upstream alpha;
  private McpDispatcher dispatcher;

  @BeforeEach
  void start() {
    alpha = pool.add("g1", "alpha", (u, method, params) -> switch (method) {
      // the upstream asks the client for a sample while serving the call, and answers with what it got
      case "tools/call" -> pool.received.get(pool.received.size() - 1).options().listener()
          .onRequest("sampling/createMessage", json("{\"maxTokens\":3}"))
          .handle((r, e) -> e == null ? (JsonNode) json("{\"sampled\":" + r + "}")
              : json("{\"refused\":" + ((UpstreamException) unwrap(e)).rpcError() + "}"));
      default -> CompletableFuture.completedFuture(JsonRpc.MAPPER.createObjectNode());
    }).capabilities("{\"logging\":{},\"resources\":{\"subscribe\":true}}");
    pool.add("g2", "quiet", (u, method, params) -> CompletableFuture.completedFuture(JsonRpc.MAPPER.createObjectNode()));
    dispatcher = McpDispatcher.builder(catalog, pool, PluginChain.empty()).requestTimeout(Duration.ofSeconds(5))
        .progress(new ProgressRouter()).build();
  }

  private static Throwable unwrap(Throwable e) {
    return e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
  }

  private static ObjectNode json(String s) {
    try {
      return (ObjectNode) JsonRpc.MAPPER.readTree(s);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** A stream that records what it carries. */
  private static final class Recorder implements Downstream {
    final List<ObjectNode> messages = new CopyOnWriteArrayList<>();

    @Override
    public void send(ObjectNode notification) {
      messages.add(notification);
    }

    @Override
    public boolean deliver(ObjectNode request) {
      messages.add(request);
      return true;
    }
  }

  private ObjectNode request(String session, String method, String params, Downstream stream) {
    ObjectNode msg = json("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"" + method + "\",\"params\":" + params + "}");
    return dispatcher.dispatch(msg, new Exchange(Caller.ANONYMOUS, "req", Scope.ALL, session, stream));
  }

  private void send(String session, String message) {
    assertThat(dispatcher.dispatch(json(message), new Exchange(Caller.ANONYMOUS, "req", Scope.ALL, session, null)))
        .isNull();
  }

  private CompletableFuture<ObjectNode> callAsks(String session, Downstream stream) {
    return CompletableFuture.supplyAsync(() -> request(session, "tools/call", "{\"name\":\"alpha-asks\"}", stream));
  }

  @Test
  void anUpstreamsSamplingRequestReachesTheCallingClientAndItsAnswerGoesBack() throws Exception {
    Recorder outlet = new Recorder();
    Recorder stream = new Recorder();
    dispatcher.sessionStarted("s1", Scope.ALL, json(CAPABLE), outlet);

    CompletableFuture<ObjectNode> call = callAsks("s1", stream);
    await().atMost(Duration.ofSeconds(5)).until(() -> !stream.messages.isEmpty());
    ObjectNode asked = stream.messages.get(0);
    assertThat(asked.get("method").asText()).isEqualTo("sampling/createMessage");
    send("s1", "{\"jsonrpc\":\"2.0\",\"id\":\"" + asked.get("id").asText() + "\",\"result\":{\"model\":\"m\"}}");

    assertThat(call.get(5, TimeUnit.SECONDS).at("/result/sampled/model").asText()).isEqualTo("m");
    // the client's own upstream session declared its capabilities
    assertThat(pool.opened).hasSize(1);
    assertThat(pool.opened.get(0).initializeParams().at("/capabilities").has("sampling")).isTrue();
    assertThat(outlet.messages).isEmpty();
    assertThat(dispatcher.pendingServerRequests()).isZero();
  }

  @Test
  void anotherSessionCannotAnswerAClientsRequest() throws Exception {
    Recorder stream = new Recorder();
    dispatcher.sessionStarted("s1", Scope.ALL, json(CAPABLE), new Recorder());
    dispatcher.sessionStarted("s2", Scope.ALL, json(CAPABLE), new Recorder());
    CompletableFuture<ObjectNode> call = callAsks("s1", stream);
    await().atMost(Duration.ofSeconds(5)).until(() -> !stream.messages.isEmpty());
    String id = stream.messages.get(0).get("id").asText();

    send("s2", "{\"jsonrpc\":\"2.0\",\"id\":\"" + id + "\",\"result\":{\"model\":\"intruder\"}}");
    assertThat(dispatcher.pendingServerRequests()).isEqualTo(1);
    send("s1", "{\"jsonrpc\":\"2.0\",\"id\":\"" + id + "\",\"result\":{\"model\":\"mine\"}}");

    assertThat(call.get(5, TimeUnit.SECONDS).at("/result/sampled/model").asText()).isEqualTo("mine");
  }

  @Test
  void aClientThatDidNotDeclareSamplingIsNotAskedAndUsesTheSharedSession() throws Exception {
    Recorder stream = new Recorder();
    dispatcher.sessionStarted("s1", Scope.ALL, json(PLAIN), new Recorder());

    ObjectNode r = callAsks("s1", stream).get(5, TimeUnit.SECONDS);

    assertThat(r.at("/result/refused/code").asInt()).isEqualTo(-32601);
    assertThat(r.at("/result/refused/message").asText()).contains("sampling");
    assertThat(stream.messages).isEmpty();
    assertThat(pool.opened).isEmpty();
  }

  @Test
  void endingTheSessionAnswersWaitingRequestsWithAnErrorAndClosesItsUpstreamSessions() throws Exception {
    Recorder stream = new Recorder();
    dispatcher.sessionStarted("s1", Scope.ALL, json(CAPABLE), new Recorder());
    CompletableFuture<ObjectNode> call = callAsks("s1", stream);
    await().atMost(Duration.ofSeconds(5)).until(() -> !stream.messages.isEmpty());

    dispatcher.sessionEnded("s1");

    assertThat(call.get(5, TimeUnit.SECONDS).at("/result/refused/message").asText()).contains("session has ended");
    assertThat(pool.opened.get(0).isClosed()).isTrue();
    assertThat(dispatcher.clientSessions()).isZero();
    assertThat(dispatcher.pendingServerRequests()).isZero();
  }

  @Test
  void aPoolThatThrowsOnOpeningLeavesTheClientOnTheSharedSession() throws Exception {
    pool.openSessionThrows(new IllegalStateException("pool exploded"));
    Recorder stream = new Recorder();
    dispatcher.sessionStarted("s1", Scope.ALL, json(CAPABLE), new Recorder());

    CompletableFuture<ObjectNode> call = callAsks("s1", stream);
    await().atMost(Duration.ofSeconds(5)).until(() -> !stream.messages.isEmpty());
    send("s1", "{\"jsonrpc\":\"2.0\",\"id\":\"" + stream.messages.get(0).get("id").asText() + "\",\"result\":{}}");

    assertThat(call.get(5, TimeUnit.SECONDS).has("result")).isTrue();
    assertThat(pool.opened).isEmpty();
  }

  @Test
  void setLevelGoesToTheClientsOwnSessionsOfUpstreamsThatLogAndAnswersEmpty() {
    dispatcher.sessionStarted("s1", Scope.ALL, json(PLAIN), new Recorder());

    ObjectNode r = request("s1", "logging/setLevel", "{\"level\":\"warning\"}", null);

    assertThat(r.get("result").isEmpty()).isTrue();
    // alpha declares logging, quiet does not: one session opened, for alpha, and it got the level
    assertThat(pool.opened).extracting(u -> u.name()).containsExactly("alpha");
    assertThat(pool.received).filteredOn(x -> x.method().equals("logging/setLevel"))
        .singleElement().satisfies(x -> assertThat(x.params().get("level").asText()).isEqualTo("warning"));
  }

  @Test
  void setLevelWithAnUnknownLevelIsInvalidParamsNamingTheField() {
    ObjectNode r = request("s1", "logging/setLevel", "{\"level\":\"loud\"}", null);

    assertThat(r.at("/error/code").asInt()).isEqualTo(-32602);
    assertThat(r.at("/error/data/field").asText()).isEqualTo("params.level");
  }

  @Test
  void subscriptionsGoToTheOwningUpstreamAndItsUpdatesReachOnlyTheSubscriber() throws Exception {
    Recorder outlet = new Recorder();
    dispatcher.sessionStarted("s1", Scope.ALL, json(PLAIN), outlet);

    ObjectNode r = request("s1", "resources/subscribe", "{\"uri\":\"file:///watched.txt\"}", null);

    assertThat(r.get("result").isObject()).isTrue();
    assertThat(pool.opened).hasSize(1);
    ScriptedUpstreams.Upstream own = pool.opened.get(0);
    own.notifyListener("notifications/resources/updated", json("{\"uri\":\"file:///watched.txt\"}"));
    own.notifyListener("notifications/resources/updated", json("{\"uri\":\"file:///other.txt\"}"));
    assertThat(outlet.messages).singleElement().satisfies(n -> {
      assertThat(n.get("method").asText()).isEqualTo("notifications/resources/updated");
      assertThat(n.at("/params/uri").asText()).isEqualTo("file:///watched.txt");
    });

    request("s1", "resources/unsubscribe", "{\"uri\":\"file:///watched.txt\"}", null);
    own.notifyListener("notifications/resources/updated", json("{\"uri\":\"file:///watched.txt\"}"));
    assertThat(outlet.messages).hasSize(1);
    assertThat(pool.received).extracting(ScriptedUpstreams.Received::method)
        .contains("resources/subscribe", "resources/unsubscribe");
  }

  @Test
  void subscribingToAnUnknownResourceIsResourceNotFound() {
    dispatcher.sessionStarted("s1", Scope.ALL, json(PLAIN), new Recorder());

    ObjectNode r = request("s1", "resources/subscribe", "{\"uri\":\"file:///nope\"}", null);

    assertThat(r.at("/error/code").asInt()).isEqualTo(-32002);
    assertThat(request("s1", "resources/subscribe", "{\"uri\":\"mcpgw://notes\"}", null).has("result")).isTrue();
  }

  @Test
  void rootsListChangedReachesTheClientsOwnUpstreamSessions() throws Exception {
    Recorder stream = new Recorder();
    dispatcher.sessionStarted("s1", Scope.ALL, json(CAPABLE), new Recorder());
    CompletableFuture<ObjectNode> call = callAsks("s1", stream);
    await().atMost(Duration.ofSeconds(5)).until(() -> !stream.messages.isEmpty());
    send("s1", "{\"jsonrpc\":\"2.0\",\"id\":\"" + stream.messages.get(0).get("id").asText() + "\",\"result\":{}}");
    call.get(5, TimeUnit.SECONDS);

    send("s1", "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/roots/list_changed\"}");

    assertThat(pool.opened.get(0).notified).containsExactly("notifications/roots/list_changed");
  }

  @Test
  void initializeDeclaresLoggingAndResourceSubscriptions() {
    ObjectNode r = request(null, "initialize", PLAIN, null);

    assertThat(r.at("/result/capabilities").has("logging")).isTrue();
    assertThat(r.at("/result/capabilities/resources/subscribe").asBoolean()).isTrue();
  }

  @Test
  void dedicatedUpstreamSessionsCountAgainstAUserOfATenantAndAgainstNoUserWithoutAuthentication() {
    Exchange aliceOfAcme = new Exchange(new Caller("alice", "acme", Caller.Role.USER), "r1", Scope.ALL, "s1",
        Downstream.NONE);
    Exchange aliceOfGlobex = new Exchange(new Caller("alice", "globex", Caller.Role.USER), "r2", Scope.ALL, "s2",
        Downstream.NONE);
    Exchange anonymous = new Exchange(Caller.ANONYMOUS, "r3", Scope.ALL, "s3", Downstream.NONE);

    assertThat(ClientSessions.owner(aliceOfAcme)).isNotNull().isNotEqualTo(ClientSessions.owner(aliceOfGlobex));
    assertThat(ClientSessions.owner(aliceOfAcme))
        .isEqualTo(ClientSessions.owner(new Exchange(new Caller("alice", "acme", Caller.Role.TENANT_ADMIN), "r4",
            Scope.ALL, "s4", Downstream.NONE)));
    assertThat(ClientSessions.owner(anonymous)).isNull();
  }
}
