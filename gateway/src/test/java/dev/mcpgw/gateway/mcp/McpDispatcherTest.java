package dev.mcpgw.gateway.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.auth.Caller;
import dev.mcpgw.gateway.catalog.Scope;
import dev.mcpgw.gateway.jsonrpc.JsonRpc;
import dev.mcpgw.gateway.plugin.Hook;
import dev.mcpgw.gateway.plugin.HookOutcome;
import dev.mcpgw.gateway.plugin.PluginChain;
import dev.mcpgw.gateway.upstream.UpstreamException;
import dev.mcpgw.gateway.store.UpstreamSpec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class McpDispatcherTest {
  private final InMemoryCatalog catalog = new InMemoryCatalog()
      .tool("g1", "alpha", "echo")
      .tool("g1", "alpha", "fails")
      .tool("g1", "alpha", "errors")
      .tool("g1", "alpha", "progress")
      .tool("g1", "alpha", "logs")
      .tool("g2", "down", "echo")
      .tool("g3", "slow", "wait")
      .tool("g4", "thrower", "boom")
      .tool("g5", "broken", "x")
      .tool("g6", "gone", "x")
      .upstreamPrompt("g1", "alpha", "greet")
      .localPrompt("hello", "Hello {{ who }}")
      .upstreamResource("g1", "alpha", "file:///a.txt")
      .localResource("mcpgw://notes", "local notes")
      .template("g1", "alpha", "item://{id}")
      .server("srv", "alpha-echo", "hello");
  private final ScriptedUpstreams pool = new ScriptedUpstreams();
  private final ProgressRouter progress = new ProgressRouter();
  private final List<String> registryNotifications = new CopyOnWriteArrayList<>();
  private PluginChain plugins = PluginChain.empty();

  @BeforeEach
  void upstreams() {
    pool.add("g1", "alpha", (u, method, params) -> switch (method) {
      case "tools/call" -> switch (params.get("name").asText()) {
        case "errors" -> CompletableFuture.failedFuture(new UpstreamException("alpha", UpstreamException.Kind.RPC_ERROR,
            "upstream error", json("{\"code\":-32042,\"message\":\"upstream says no\",\"data\":{\"why\":42}}"), null));
        case "fails" -> CompletableFuture.completedFuture(
            json("{\"content\":[{\"type\":\"text\",\"text\":\"bad input\"}],\"isError\":true,\"extra\":1}"));
        case "logs" -> {
          // what the upstream client relates to the request goes to the request's own listener
          ScriptedUpstreams.Received r = pool.received.get(pool.received.size() - 1);
          r.options().listener().onNotification("notifications/message",
              (ObjectNode) json("{\"level\":\"info\",\"data\":\"step\"}"));
          r.options().listener().onNotification("notifications/progress", (ObjectNode) json(
              "{\"progressToken\":\"" + params.at("/_meta/progressToken").asText() + "\",\"progress\":1}"));
          yield CompletableFuture.completedFuture(json("{\"content\":[]}"));
        }
        case "progress" -> {
          String token = params.path("_meta").path("progressToken").asText();
          for (int i = 1; i <= 3; i++) {
            u.notifyListener("notifications/progress", (ObjectNode) json(
                "{\"progressToken\":\"" + token + "\",\"progress\":" + i + ",\"total\":3}"));
          }
          yield CompletableFuture.completedFuture(json("{\"content\":[]}"));
        }
        default -> CompletableFuture.completedFuture(echo(params));
      };
      case "prompts/get", "resources/read" -> CompletableFuture.completedFuture(echo(params));
      default -> CompletableFuture.failedFuture(UpstreamException.methodNotFound(method));
    });
    pool.add("g3", "slow", (u, method, params) -> new CompletableFuture<>());
    pool.add("g4", "thrower", (u, method, params) -> {
      throw new IllegalStateException("secret=hunter2 broke");
    });
    pool.add("g5", "broken", (u, method, params) -> CompletableFuture.failedFuture(
        new UpstreamException("broken", UpstreamException.Kind.UNAVAILABLE, "upstream 'broken' refused the connection")));
    pool.getThrows("g6", new IllegalStateException("pool exploded"));
    pool.connect("g1", new UpstreamSpec("alpha", UpstreamSpec.Transport.STDIO, null, "x", null, null, null),
        (method, params) -> {
          if (!("notifications/progress".equals(method) && progress.route(params))) {
            registryNotifications.add(method);
          }
        });
  }

  private static JsonNode json(String s) {
    try {
      return JsonRpc.MAPPER.readTree(s);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static ObjectNode echo(ObjectNode params) {
    ObjectNode r = JsonRpc.MAPPER.createObjectNode();
    r.set("received", params.deepCopy());
    return r;
  }

  private McpDispatcher dispatcher() {
    return McpDispatcher.builder(catalog, pool, plugins).requestTimeout(Duration.ofMillis(300)).progress(progress)
        .build();
  }

  private ObjectNode call(String method, String params) {
    return call(method, params, Scope.ALL, Downstream.NONE);
  }

  private ObjectNode call(String method, String params, Scope scope, Downstream downstream) {
    ObjectNode msg = (ObjectNode) json("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"" + method + "\""
        + (params == null ? "" : ",\"params\":" + params) + "}");
    assertThat(JsonRpc.classify(msg)).isEqualTo(JsonRpc.Kind.REQUEST);
    return dispatcher().dispatch(msg, new Exchange(Caller.ANONYMOUS, "req-1", scope, "s1", downstream));
  }

  @Test
  void initializeNegotiatesTheClientsVersionAndAdvertisesListChanged() {
    JsonNode r = call("initialize", "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
        + "\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}");
    assertThat(r.path("id").asInt()).isEqualTo(7);
    assertThat(r.at("/result/protocolVersion").asText()).isEqualTo("2025-06-18");
    assertThat(r.at("/result/serverInfo/name").asText()).isEqualTo("mcpgw");
    for (String cap : List.of("tools", "resources", "prompts")) {
      assertThat(r.at("/result/capabilities/" + cap + "/listChanged").asBoolean()).isTrue();
    }
  }

  @Test
  void initializeWithAnUnknownVersionOffersTheLatest() {
    JsonNode r = call("initialize", "{\"protocolVersion\":\"1999-01-01\",\"capabilities\":{}}");
    assertThat(r.at("/result/protocolVersion").asText()).isEqualTo(ProtocolVersions.LATEST);
  }

  @Test
  void initializeWithoutProtocolVersionIsInvalidParamsNamingTheField() {
    JsonNode r = call("initialize", "{}");
    assertThat(r.at("/error/code").asInt()).isEqualTo(-32602);
    assertThat(r.at("/error/data/field").asText()).isEqualTo("params.protocolVersion");
  }

  @Test
  void pingAnswersAnEmptyResult() {
    assertThat(call("ping", null).get("result").isEmpty()).isTrue();
  }

  @Test
  void rejectsUnknownMethodWith32601NamingIt() {
    JsonNode r = call("tools/destroy", "{}");
    assertThat(r.at("/error/code").asInt()).isEqualTo(-32601);
    assertThat(r.at("/error/message").asText()).contains("tools/destroy");
  }

  @Test
  void notificationsGetNoAnswer() {
    ObjectNode n = (ObjectNode) json("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
    assertThat(JsonRpc.classify(n)).isEqualTo(JsonRpc.Kind.NOTIFICATION);
    assertThat(dispatcher().dispatch(n, new Exchange(Caller.ANONYMOUS, "r", Scope.ALL, "s", null))).isNull();
  }

  @Test
  void toolsListKeepsFieldsTheGatewayDoesNotKnowAndFollowsTheScope() {
    JsonNode all = call("tools/list", "{}");
    assertThat(all.at("/result/tools").findValuesAsText("name")).contains("alpha-echo", "down-echo");
    assertThat(all.at("/result/tools/0/execution/taskSupport").asText()).isEqualTo("optional");
    JsonNode server = call("tools/list", null, new Scope("srv"), Downstream.NONE);
    assertThat(server.at("/result/tools").findValuesAsText("name")).containsExactly("alpha-echo");
  }

  @Test
  void rejectsACursorItNeverIssued() {
    assertThat(call("tools/list", "{\"cursor\":\"abc\"}").at("/error/code").asInt()).isEqualTo(-32602);
  }

  @Test
  void toolsCallForwardsTheOriginalNameArgumentsAndMeta() {
    JsonNode r = call("tools/call", "{\"name\":\"alpha-echo\",\"arguments\":{\"message\":\"hi\"},"
        + "\"_meta\":{\"traceparent\":\"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01\"},\"task\":{\"ttl\":1}}");
    assertThat(r.at("/result/received/name").asText()).isEqualTo("echo");
    assertThat(r.at("/result/received/arguments/message").asText()).isEqualTo("hi");
    assertThat(r.at("/result/received/_meta/traceparent").asText()).startsWith("00-0af76519");
    assertThat(r.at("/result/received/task/ttl").asInt()).isEqualTo(1);
    assertThat(pool.received).extracting(ScriptedUpstreams.Received::gatewayId).containsExactly("g1");
  }

  @Test
  void toolsCallWithoutANameIsInvalidParamsNamingTheField() {
    JsonNode r = call("tools/call", "{\"arguments\":{}}");
    assertThat(r.at("/error/code").asInt()).isEqualTo(-32602);
    assertThat(r.at("/error/data/field").asText()).isEqualTo("params.name");
    assertThat(pool.received).isEmpty();
  }

  @Test
  void toolsCallWithArgumentsOfTheWrongTypeIsInvalidParams() {
    JsonNode r = call("tools/call", "{\"name\":\"alpha-echo\",\"arguments\":[1,2]}");
    assertThat(r.at("/error/code").asInt()).isEqualTo(-32602);
    assertThat(r.at("/error/data/field").asText()).isEqualTo("params.arguments");
    assertThat(call("tools/call", "{\"name\":42}").at("/error/code").asInt()).isEqualTo(-32602);
  }

  @Test
  void rejectsUnknownToolNamingIt() {
    JsonNode r = call("tools/call", "{\"name\":\"nope\"}");
    assertThat(r.at("/error/code").asInt()).isEqualTo(-32602);
    assertThat(r.at("/error/message").asText()).contains("nope");
  }

  @Test
  void aToolOutsideTheVirtualServerIsUnknownThere() {
    JsonNode r = call("tools/call", "{\"name\":\"down-echo\"}", new Scope("srv"), Downstream.NONE);
    assertThat(r.at("/error/message").asText()).contains("Unknown tool: down-echo");
  }

  @Test
  void relaysUpstreamJsonRpcErrorsUnchanged() {
    JsonNode r = call("tools/call", "{\"name\":\"alpha-errors\"}");
    assertThat(r.get("error")).isEqualTo(json("{\"code\":-32042,\"message\":\"upstream says no\",\"data\":{\"why\":42}}"));
  }

  @Test
  void relaysIsErrorResultsUnchanged() {
    JsonNode r = call("tools/call", "{\"name\":\"alpha-fails\"}");
    assertThat(r.get("result")).isEqualTo(
        json("{\"content\":[{\"type\":\"text\",\"text\":\"bad input\"}],\"isError\":true,\"extra\":1}"));
  }

  @Test
  void anUpstreamThatIsNotConnectedIsNamed() {
    JsonNode r = call("tools/call", "{\"name\":\"down-echo\"}");
    assertThat(r.at("/error/code").asInt()).isEqualTo(-32603);
    assertThat(r.at("/error/message").asText()).contains("'down'").contains("not connected");
    assertThat(r.at("/error/data/upstream").asText()).isEqualTo("down");
  }

  @Test
  void anUpstreamThatNeverAnswersTimesOutNamingIt() {
    JsonNode r = call("tools/call", "{\"name\":\"slow-wait\"}");
    assertThat(r.at("/error/message").asText()).contains("'slow'").contains("did not answer within 300 ms");
    assertThat(r.at("/error/data/kind").asText()).isEqualTo("TIMEOUT");
  }

  @Test
  void anUpstreamFailureKeepsItsMessage() {
    JsonNode r = call("tools/call", "{\"name\":\"broken-x\"}");
    assertThat(r.at("/error/message").asText()).isEqualTo("upstream 'broken' refused the connection");
    assertThat(r.at("/error/data/kind").asText()).isEqualTo("UNAVAILABLE");
  }

  @Test
  void aClientThatThrowsGivesAnErrorNamingTheUpstreamWithoutItsMessage() {
    JsonNode r = call("tools/call", "{\"name\":\"thrower-boom\"}");
    assertThat(r.at("/error/message").asText()).contains("'thrower'").doesNotContain("hunter2");
    assertThat(r.toString()).doesNotContain("IllegalStateException").doesNotContain("at dev.");
  }

  @Test
  void aPoolThatThrowsGivesAnErrorNamingTheUpstream() {
    JsonNode r = call("tools/call", "{\"name\":\"gone-x\"}");
    assertThat(r.at("/error/message").asText()).contains("'gone'").doesNotContain("exploded");
  }

  @Test
  void aBlockingPluginIsNamedWithItsReason() {
    plugins = (hook, ctx, payload) -> hook == Hook.TOOL_PRE_INVOKE
        ? new HookOutcome.Blocked("deny_list", "tool alpha-echo is denied for " + ctx.caller().userId(), -32003)
        : new HookOutcome.Proceed(payload, false);
    JsonNode r = call("tools/call", "{\"name\":\"alpha-echo\"}");
    assertThat(r.at("/error/code").asInt()).isEqualTo(-32003);
    assertThat(r.at("/error/message").asText()).contains("deny_list").contains("denied for anonymous");
    assertThat(r.at("/error/data/plugin").asText()).isEqualTo("deny_list");
    assertThat(pool.received).isEmpty();
  }

  @Test
  void pluginsRewriteArgumentsBeforeAndResultsAfter() {
    List<String> seen = new CopyOnWriteArrayList<>();
    plugins = (hook, ctx, payload) -> {
      seen.add(hook.configName() + " " + ctx.requestId());
      ObjectNode p = payload.deepCopy();
      if (hook == Hook.TOOL_PRE_INVOKE) {
        ((ObjectNode) p.get("arguments")).put("message", "[masked]");
      } else if (hook == Hook.TOOL_POST_INVOKE) {
        ((ObjectNode) p.get("result")).put("post", true);
      }
      return new HookOutcome.Proceed(p, true);
    };
    JsonNode r = call("tools/call", "{\"name\":\"alpha-echo\",\"arguments\":{\"message\":\"555-1234\"}}");
    assertThat(r.at("/result/received/arguments/message").asText()).isEqualTo("[masked]");
    assertThat(r.at("/result/post").asBoolean()).isTrue();
    assertThat(seen).containsExactly("tool_pre_invoke req-1", "tool_post_invoke req-1");
  }

  @Test
  void aPluginChainThatThrowsGivesAnInternalErrorWithTheRequestIdOnly() {
    plugins = (hook, ctx, payload) -> {
      throw new IllegalStateException("plugin internals");
    };
    JsonNode r = call("tools/call", "{\"name\":\"alpha-echo\"}");
    assertThat(r.at("/error/code").asInt()).isEqualTo(-32603);
    assertThat(r.at("/error/message").asText()).isEqualTo("internal error; request id req-1");
  }

  @Test
  void progressReachesTheRequestInOrderWithTheClientsTokenAndTheRouteIsForgotten() {
    List<ObjectNode> sent = new CopyOnWriteArrayList<>();
    JsonNode r = call("tools/call", "{\"name\":\"alpha-progress\",\"_meta\":{\"progressToken\":7}}", Scope.ALL, sent::add);
    assertThat(r.has("result")).isTrue();
    assertThat(sent).extracting(n -> n.at("/params/progress").asInt()).containsExactly(1, 2, 3);
    assertThat(sent).allSatisfy(n -> {
      assertThat(n.get("method").asText()).isEqualTo("notifications/progress");
      assertThat(n.at("/params/progressToken").asInt()).isEqualTo(7);
    });
    // the upstream saw the gateway's token, not the client's (which may clash with another client's)
    assertThat(pool.received.get(0).params().at("/_meta/progressToken").asText()).startsWith("mcpgw-progress-");
    assertThat(progress.activeRoutes()).isZero();
    assertThat(registryNotifications).isEmpty();
  }

  @Test
  void notificationsTheUpstreamRelatesToTheRequestReachItsStream() {
    List<ObjectNode> sent = new CopyOnWriteArrayList<>();
    JsonNode r = call("tools/call", "{\"name\":\"alpha-logs\",\"_meta\":{\"progressToken\":\"mine\"}}", Scope.ALL,
        sent::add);
    assertThat(r.has("result")).isTrue();
    assertThat(sent).extracting(n -> n.get("method").asText())
        .containsExactly("notifications/message", "notifications/progress");
    assertThat(sent.get(0).at("/params/data").asText()).isEqualTo("step");
    assertThat(sent.get(1).at("/params/progressToken").asText()).isEqualTo("mine");
    assertThat(registryNotifications).isEmpty();
  }

  @Test
  void progressOfAFinishedCallIsDroppedAndForeignTokensGoToTheRegistry() {
    call("tools/call", "{\"name\":\"alpha-progress\",\"_meta\":{\"progressToken\":\"t\"}}");
    String used = pool.received.get(0).params().at("/_meta/progressToken").asText();
    ScriptedUpstreams.Upstream alpha = (ScriptedUpstreams.Upstream) pool.get("g1").orElseThrow();
    alpha.notifyListener("notifications/progress", (ObjectNode) json("{\"progressToken\":\"" + used + "\",\"progress\":9}"));
    alpha.notifyListener("notifications/progress", (ObjectNode) json("{\"progressToken\":\"other\",\"progress\":1}"));
    alpha.notifyListener("notifications/tools/list_changed", JsonRpc.MAPPER.createObjectNode());
    assertThat(registryNotifications).containsExactly("notifications/progress", "notifications/tools/list_changed");
  }

  @Test
  void aClientsCancellationCancelsTheUpstreamCallOfThatSessionOnly() throws Exception {
    CompletableFuture<JsonNode> upstreamCall = new CompletableFuture<>();
    pool.add("g7", "held", (u, method, params) -> upstreamCall);
    catalog.tool("g7", "held", "wait");
    McpDispatcher dispatcher = McpDispatcher.builder(catalog, pool, plugins).requestTimeout(Duration.ofSeconds(30))
        .progress(progress).build();
    ObjectNode request = (ObjectNode) json("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\","
        + "\"params\":{\"name\":\"held-wait\"}}");
    CompletableFuture<ObjectNode> answer = CompletableFuture.supplyAsync(
        () -> dispatcher.dispatch(request, new Exchange(Caller.ANONYMOUS, "r", Scope.ALL, "s1", null)),
        java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
    org.awaitility.Awaitility.await().until(() -> dispatcher.callsInFlight() == 1);
    ObjectNode cancel = (ObjectNode) json("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\","
        + "\"params\":{\"requestId\":7,\"reason\":\"user abort\"}}");
    dispatcher.dispatch(cancel, new Exchange(Caller.ANONYMOUS, "r2", Scope.ALL, "another-session", null));
    assertThat(upstreamCall).isNotDone();
    dispatcher.dispatch(cancel, new Exchange(Caller.ANONYMOUS, "r3", Scope.ALL, "s1", null));
    assertThat(answer.get(10, java.util.concurrent.TimeUnit.SECONDS).at("/error/message").asText())
        .isEqualTo("request cancelled by the client");
    assertThat(upstreamCall).isCancelled();
    assertThat(dispatcher.callsInFlight()).isZero();
  }

  @Test
  void promptsOfUpstreamsAreFetchedByOriginalNameAndLocalOnesRendered() {
    assertThat(call("prompts/list", "{}").at("/result/prompts")).extracting(p -> p.get("name").asText())
        .containsExactly("alpha-greet", "hello");
    JsonNode up = call("prompts/get", "{\"name\":\"alpha-greet\",\"arguments\":{\"x\":\"1\"}}");
    assertThat(up.at("/result/received/name").asText()).isEqualTo("greet");
    assertThat(up.at("/result/received/arguments/x").asText()).isEqualTo("1");
    JsonNode local = call("prompts/get", "{\"name\":\"hello\",\"arguments\":{\"who\":\"Ada\"}}");
    assertThat(local.at("/result/messages/0/content/text").asText()).isEqualTo("Hello Ada");
  }

  @Test
  void aLocalPromptWithoutItsRequiredArgumentIsInvalidParamsNamingIt() {
    JsonNode r = call("prompts/get", "{\"name\":\"hello\"}");
    assertThat(r.at("/error/code").asInt()).isEqualTo(-32602);
    assertThat(r.at("/error/message").asText()).contains("'who'");
    assertThat(call("prompts/get", "{\"name\":\"nope\"}").at("/error/message").asText()).contains("nope");
  }

  @Test
  void resourcesAreReadUpstreamThroughTemplatesOrLocally() {
    assertThat(call("resources/list", "{}").at("/result/resources").findValuesAsText("uri"))
        .containsExactly("file:///a.txt", "mcpgw://notes");
    assertThat(call("resources/templates/list", "{}").at("/result/resourceTemplates/0/uriTemplate").asText())
        .isEqualTo("item://{id}");
    assertThat(call("resources/read", "{\"uri\":\"item://42\"}").at("/result/received/uri").asText()).isEqualTo("item://42");
    assertThat(call("resources/read", "{\"uri\":\"mcpgw://notes\"}").at("/result/contents/0/text").asText())
        .isEqualTo("local notes");
  }

  @Test
  void resourceHooksSeeTheUriAndTheResult() {
    List<String> seen = new CopyOnWriteArrayList<>();
    plugins = (hook, ctx, payload) -> {
      seen.add(hook.configName() + " " + payload.path("uri").asText() + " " + payload.has("result"));
      return new HookOutcome.Proceed(payload, false);
    };
    call("resources/read", "{\"uri\":\"file:///a.txt\"}");
    assertThat(seen).containsExactly("resource_pre_fetch file:///a.txt false", "resource_post_fetch file:///a.txt true");
  }

  @Test
  void anUnknownResourceIsResourceNotFound() {
    JsonNode r = call("resources/read", "{\"uri\":\"file:///nope\"}");
    assertThat(r.at("/error/code").asInt()).isEqualTo(-32002);
    assertThat(r.at("/error/data/uri").asText()).isEqualTo("file:///nope");
    assertThat(call("resources/read", "{}").at("/error/data/field").asText()).isEqualTo("params.uri");
  }
}
