package dev.mcpgw.gateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.jsonrpc.MessageJson;
import dev.mcpgw.gateway.store.UpstreamSpec;
import dev.mcpgw.gateway.testing.EverythingServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every upstream transport must do against the real {@code server-everything}: the handshake, tools, prompts,
 * resources, notifications in order, timeouts and a dying upstream, each naming the upstream. One subclass per
 * transport says how to start the server and kill it.
 */
abstract class UpstreamTransportBehaviour {
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  static final String NAME = "everything";

  /** One server per mode for a test class, started on first use and again after a test killed it. */
  private static final Map<EverythingServer.Mode, EverythingServer> SERVERS = new java.util.EnumMap<>(
      EverythingServer.Mode.class);

  @TempDir Path tmp;
  UpstreamConnections pool;

  EverythingServer server(EverythingServer.Mode mode) {
    EverythingServer s = SERVERS.get(mode);
    if (s == null || !s.isAlive()) {
      s = EverythingServer.start(mode, tmp);
      SERVERS.put(mode, s);
    }
    return s;
  }

  @org.junit.jupiter.api.AfterAll
  static void stopServers() {
    SERVERS.values().forEach(EverythingServer::close);
    SERVERS.clear();
  }

  /** Starts server-everything (or describes how to spawn it) and returns its spec for an upstream named NAME. */
  abstract UpstreamSpec upstream(Map<String, String> headers);

  /** Kills the running server as a crash would. */
  abstract void killUpstream();

  @AfterEach
  void closePool() {
    if (pool != null) {
      pool.close();
    }
  }

  UpstreamClient connect(UpstreamSettings settings, UpstreamListener listener) throws Exception {
    pool = UpstreamConnections.create(settings);
    return pool.connect("g1", upstream(Map.of()), listener).get(30, TimeUnit.SECONDS);
  }

  static UpstreamSettings settings() {
    return new UpstreamSettings(Duration.ofSeconds(15), Duration.ofSeconds(15), 2, Duration.ofMillis(50), 5,
        Duration.ofSeconds(30));
  }

  static ObjectNode params(String json) {
    try {
      return (ObjectNode) MessageJson.MAPPER.readTree(json);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  static JsonNode call(UpstreamClient client, String method, String params) throws Exception {
    return client.request(method, params(params), RequestOptions.call(Duration.ofSeconds(20))).get(30, TimeUnit.SECONDS);
  }

  static UpstreamException failure(CompletableFuture<?> f) {
    ExecutionException e = catchThrowableOfType(ExecutionException.class, () -> f.get(60, TimeUnit.SECONDS));
    assertThat(e).as("the call should have failed").isNotNull();
    assertThat(e.getCause()).isInstanceOf(UpstreamException.class);
    return (UpstreamException) e.getCause();
  }

  @Test
  void initializesThenListsAndCallsTools() throws Exception {
    UpstreamClient client = connect(settings(), UpstreamListener.NONE);

    JsonNode tools = call(client, "tools/list", "{}");
    JsonNode echo = call(client, "tools/call", "{\"name\":\"echo\",\"arguments\":{\"message\":\"hi\"}}");

    assertThat(client.initializeResult().path("serverInfo").path("name").asText()).isNotBlank();
    assertThat(client.initializeResult().path("protocolVersion").asText()).isIn(TransportClient.PROTOCOL_VERSIONS);
    assertThat(tools.path("tools").findValuesAsText("name")).contains("echo", "get-sum");
    assertThat(echo.at("/content/0/text").asText()).isEqualTo("Echo: hi");
    assertThat(client.health().connected()).isTrue();
    assertThat(client.health().circuitState()).isEqualTo("CLOSED");
  }

  @Test
  void getsPromptsAndReadsResources() throws Exception {
    UpstreamClient client = connect(settings(), UpstreamListener.NONE);

    JsonNode prompt = call(client, "prompts/get", "{\"name\":\"args-prompt\",\"arguments\":{\"city\":\"Paris\"}}");
    JsonNode resource = call(client, "resources/read", "{\"uri\":\"demo://resource/dynamic/text/1\"}");

    assertThat(prompt.at("/messages/0/content/text").asText()).isEqualTo("What's weather in Paris?");
    assertThat(resource.at("/contents/0/text").asText()).startsWith("Resource 1:");
  }

  @Test
  void streamsAHundredProgressNotificationsInOrderWhileTheCallRuns() throws Exception {
    List<Integer> progress = new CopyOnWriteArrayList<>();
    List<Boolean> callDoneAtEachProgress = new CopyOnWriteArrayList<>();
    java.util.concurrent.atomic.AtomicReference<CompletableFuture<JsonNode>> running =
        new java.util.concurrent.atomic.AtomicReference<>();
    UpstreamClient client = connect(settings(), (method, params) -> {
      if ("notifications/progress".equals(method) && "p-1".equals(params.path("progressToken").asText())) {
        progress.add(params.path("progress").asInt());
        CompletableFuture<JsonNode> call = running.get();
        callDoneAtEachProgress.add(call != null && call.isDone());
      }
    });

    CompletableFuture<JsonNode> call = client.request("tools/call", params(
        "{\"name\":\"trigger-long-running-operation\",\"arguments\":{\"duration\":2,\"steps\":100},"
            + "\"_meta\":{\"progressToken\":\"p-1\"}}"), RequestOptions.call(Duration.ofSeconds(20)));
    running.set(call);
    List<Integer> seenAtResult = call.thenApply(result -> List.copyOf(progress)).get(30, TimeUnit.SECONDS);

    assertThat(seenAtResult).containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, 100).boxed().toList());
    assertThat(callDoneAtEachProgress).as("no notification waited for the result").containsOnly(false);
  }

  @Test
  void rpcErrorAnswersComeBackUnchangedAndDoNotCountAgainstTheBreaker() throws Exception {
    UpstreamClient client = connect(new UpstreamSettings(Duration.ofSeconds(15), Duration.ofSeconds(15), 0,
        Duration.ofMillis(50), 2, Duration.ofSeconds(30)), UpstreamListener.NONE);

    for (int i = 0; i < 3; i++) {
      UpstreamException e = failure(client.request("no/such-method", params("{}"),
          RequestOptions.call(Duration.ofSeconds(10))));
      assertThat(e.kind()).isEqualTo(UpstreamException.Kind.RPC_ERROR);
      assertThat(e.rpcError().path("code").asInt()).isEqualTo(-32601);
      assertThat(e.getMessage()).contains("upstream 'everything'").contains("no/such-method");
    }
    assertThat(client.health().circuitState()).isEqualTo("CLOSED");
  }

  @Test
  void timesOutNamingTheUpstreamTheMethodAndTheTimeout() throws Exception {
    UpstreamClient client = connect(settings(), UpstreamListener.NONE);

    UpstreamException e = failure(client.request("tools/call", params(
        "{\"name\":\"trigger-long-running-operation\",\"arguments\":{\"duration\":10,\"steps\":2}}"),
        RequestOptions.call(Duration.ofSeconds(1))));

    assertThat(e.kind()).isEqualTo(UpstreamException.Kind.TIMEOUT);
    assertThat(e.upstream()).isEqualTo(NAME);
    assertThat(e.getMessage()).isEqualTo("upstream 'everything' did not answer tools/call within 1s");
    // the session survives a slow call
    assertThat(call(client, "tools/call", "{\"name\":\"echo\",\"arguments\":{\"message\":\"still\"}}")
        .at("/content/0/text").asText()).isEqualTo("Echo: still");
  }

  @Test
  void anUpstreamDyingMidCallFailsTheCallLongBeforeItsTimeout() throws Exception {
    UpstreamClient client = connect(settings(), UpstreamListener.NONE);
    CompletableFuture<JsonNode> slow = client.request("tools/call", params(
        "{\"name\":\"trigger-long-running-operation\",\"arguments\":{\"duration\":60,\"steps\":2}}"),
        RequestOptions.call(Duration.ofSeconds(60)));

    killUpstream();

    await().atMost(Duration.ofSeconds(15)).until(slow::isDone);
    UpstreamException e = failure(slow);
    assertThat(e.kind()).isEqualTo(UpstreamException.Kind.UNAVAILABLE);
    assertThat(e.getMessage()).startsWith("upstream 'everything' ");
  }

  /** A downstream client that supports sampling and answers it with a fixed text, recording what it was asked. */
  static final class SamplingClient implements UpstreamListener {
    final List<String> asked = new CopyOnWriteArrayList<>();
    final boolean fail;

    SamplingClient(boolean fail) {
      this.fail = fail;
    }

    @Override
    public void onNotification(String method, ObjectNode params) {}

    @Override
    public CompletableFuture<JsonNode> onRequest(String method, ObjectNode params) {
      asked.add(method);
      if (fail) {
        throw new IllegalStateException("the downstream client broke");
      }
      return CompletableFuture.completedFuture(params(
          "{\"role\":\"assistant\",\"content\":{\"type\":\"text\",\"text\":\"sampled-answer\"},"
              + "\"model\":\"test-model\",\"stopReason\":\"endTurn\"}"));
    }
  }

  static final String SAMPLING_CLIENT_INIT = "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{\"sampling\":{}},"
      + "\"clientInfo\":{\"name\":\"downstream\",\"version\":\"1.0\"}}";

  UpstreamClient openSamplingSession(UpstreamListener listener) throws Exception {
    connect(settings(), UpstreamListener.NONE);
    return pool.openSession("g1", params(SAMPLING_CLIENT_INIT), listener).get(30, TimeUnit.SECONDS);
  }

  @Test
  void aSessionForADownstreamClientRelaysTheUpstreamsSamplingRequestAndItsAnswer() throws Exception {
    SamplingClient downstream = new SamplingClient(false);
    UpstreamClient session = openSamplingSession(downstream);

    JsonNode result = call(session, "tools/call",
        "{\"name\":\"trigger-sampling-request\",\"arguments\":{\"prompt\":\"hello\"}}");

    assertThat(downstream.asked).containsExactly("sampling/createMessage");
    assertThat(result.at("/content/0/text").asText()).contains("sampled-answer");
    assertThat(session.initializeResult().path("protocolVersion").asText()).isEqualTo("2025-06-18");
    session.close();
    assertThat(pool.get("g1")).as("the pool's own session outlives the downstream one").isPresent();
  }

  @Test
  void aListenerThatThrowsOnAServerRequestIsAnsweredWithAnInternalError() throws Exception {
    SamplingClient downstream = new SamplingClient(true);
    UpstreamClient session = openSamplingSession(downstream);

    CompletableFuture<JsonNode> call = session.request("tools/call", params(
        "{\"name\":\"trigger-sampling-request\",\"arguments\":{\"prompt\":\"hello\"}}"),
        RequestOptions.call(Duration.ofSeconds(20)));

    // the upstream's tool turns the error answer into an error result
    JsonNode result = call.get(30, TimeUnit.SECONDS);
    assertThat(downstream.asked).containsExactly("sampling/createMessage");
    assertThat(result.path("isError").asBoolean()).isTrue();
    assertThat(result.at("/content/0/text").asText()).contains("Internal error handling sampling/createMessage");
  }

  @Test
  void routesProgressToTheListenerOfTheRequestThatAskedForIt() throws Exception {
    List<String> sessionHeard = new CopyOnWriteArrayList<>();
    List<String> requestHeard = new CopyOnWriteArrayList<>();
    UpstreamClient client = connect(settings(), (method, params) -> sessionHeard.add(method));

    call(client, "tools/call", "{\"name\":\"echo\",\"arguments\":{\"message\":\"warm\"}}");
    client.request("tools/call", params(
        "{\"name\":\"trigger-long-running-operation\",\"arguments\":{\"duration\":0.3,\"steps\":3},"
            + "\"_meta\":{\"progressToken\":7}}"),
        RequestOptions.call(Duration.ofSeconds(20)).withListener((method, params) -> requestHeard.add(method + " "
            + params.path("progress").asInt()))).get(30, TimeUnit.SECONDS);

    assertThat(requestHeard).containsExactly("notifications/progress 1", "notifications/progress 2",
        "notifications/progress 3");
    assertThat(sessionHeard).doesNotContain("notifications/progress");
  }

  @Test
  void cancellingACallTellsTheUpstreamAndFreesTheSession() throws Exception {
    UpstreamClient client = connect(settings(), UpstreamListener.NONE);
    CompletableFuture<JsonNode> slow = client.request("tools/call", params(
        "{\"name\":\"trigger-long-running-operation\",\"arguments\":{\"duration\":30,\"steps\":2}}"),
        RequestOptions.call(Duration.ofSeconds(60)));

    slow.cancel(true);

    assertThat(slow).isCancelled();
    assertThat(call(client, "tools/call", "{\"name\":\"echo\",\"arguments\":{\"message\":\"after\"}}")
        .at("/content/0/text").asText()).isEqualTo("Echo: after");
  }

  @Test
  void deliversLogMessagesTheUpstreamSendsOnItsOwn() throws Exception {
    List<String> heard = new CopyOnWriteArrayList<>();
    UpstreamClient client = connect(settings(), (method, params) -> heard.add(method));

    call(client, "tools/call", "{\"name\":\"toggle-simulated-logging\",\"arguments\":{}}");

    // the first message goes out at once, the next after five seconds: both outside any request
    await().atMost(Duration.ofSeconds(20))
        .until(() -> heard.stream().filter("notifications/message"::equals).count() >= 2);
  }
}
