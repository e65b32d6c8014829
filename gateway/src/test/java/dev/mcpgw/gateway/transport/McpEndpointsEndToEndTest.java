package dev.mcpgw.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.mcpgw.gateway.NodePeers;
import dev.mcpgw.gateway.mcp.RoutingUpstreamPool;
import dev.mcpgw.gateway.plugin.PluginChain;
import dev.mcpgw.gateway.testing.EverythingServer;
import dev.mcpgw.gateway.mcp.InMemoryCatalog;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The MCP endpoints between real peers on both sides: the official TypeScript SDK client in front, the real upstream
 * clients and {@code @modelcontextprotocol/server-everything} behind, once per upstream transport (Streamable HTTP,
 * legacy SSE, stdio). The registry is left out (a catalog double maps server-everything's tools); the whole gateway
 * with its registry is tested elsewhere.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class McpEndpointsEndToEndTest {
  private static final List<String> TOOLS = List.of("echo", "trigger-long-running-operation");
  private static final String TEXT_TEMPLATE = "demo://resource/dynamic/text/{resourceId}";

  @TempDir static Path tmp;
  private EverythingUpstreams upstreams;
  private McpHttpServer gateway;

  @BeforeAll
  void start() throws Exception {
    upstreams = EverythingUpstreams.start(tmp, TOOLS, (c, id, name) -> { });
    InMemoryCatalog catalog = upstreams.catalog;
    RoutingUpstreamPool pool = upstreams.pool;
    catalog.upstreamPrompt("g-http", "evhttp", "completable-prompt")
        .template("g-sse", "evsse", TEXT_TEMPLATE)
        .localPrompt("greeting", "Hello {{ who }}");
    gateway = new McpHttpServer(catalog, pool, PluginChain.empty(), McpSettings.DEFAULTS);
  }

  @AfterAll
  void stop() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
    if (upstreams != null) {
      upstreams.close();
    }
  }

  /** Runs {@code e2e/progress-client.mjs} (TypeScript SDK, Streamable HTTP) against the gateway's /mcp. */
  private JsonNode runClient(String upstream, int clients) throws Exception {
    return NodePeers.runScript("progress-client.mjs", Map.of("URL", gateway.url("/mcp"), "TOKEN", "",
        "ECHO_TOOL", upstream + "-echo", "SLOW_TOOL", upstream + "-trigger-long-running-operation",
        "SLOW_ARGS", "{\"duration\":2,\"steps\":10}", "CLIENTS", Integer.toString(clients)), tmp,
        Duration.ofSeconds(90));
  }

  @ParameterizedTest
  @ValueSource(strings = {"evhttp", "evsse", "evstdio"})
  void theTypeScriptSdkClientListsAndCallsToolsOfEachUpstreamTransport(String upstream) throws Exception {
    JsonNode seen = runClient(upstream, 2);

    List<String> tools = new ArrayList<>();
    seen.path("tools").forEach(t -> tools.add(t.asText()));
    assertThat(tools).contains("evhttp-echo", "evsse-echo", "evstdio-echo", upstream + "-trigger-long-running-operation");
    assertThat(seen.path("echo").path("content").get(0).path("text").asText()).isEqualTo("Echo: through the gateway");
    // two clients ran the slow tool at once with the same progress token: each got its own 10 notifications, in
    // order, the first of them long before its result (streamed, not buffered to the end)
    assertThat(seen.path("runs")).hasSize(2);
    for (JsonNode run : seen.path("runs")) {
      List<Integer> progress = new ArrayList<>();
      run.path("progress").forEach(n -> progress.add(n.asInt()));
      assertThat(progress).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
      assertThat(run.path("firstProgressMs").asLong()).isLessThan(run.path("resultMs").asLong());
      assertThat(run.path("result").path("content").get(0).path("text").asText())
          .contains("Long running operation completed");
    }
  }

  private JsonNode complete(String session, String params) throws Exception {
    HttpResponse<String> r = gateway.send(gateway.post("/mcp",
        "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"completion/complete\",\"params\":" + params + "}",
        Map.of("Mcp-Session-Id", session)));
    assertThat(r.statusCode()).isEqualTo(200);
    return McpHttpServer.json(r.body());
  }

  @Test
  void completesPromptArgumentsAndTemplateVariablesAtTheOwningUpstream() throws Exception {
    String session = gateway.initialize("/mcp");
    HttpResponse<String> init = gateway.send(gateway.post("/mcp", McpHttpServer.INIT, Map.of()));
    assertThat(McpHttpServer.json(init.body()).at("/result/capabilities").has("completions")).isTrue();

    JsonNode prompt = complete(session, "{\"ref\":{\"type\":\"ref/prompt\",\"name\":\"evhttp-completable-prompt\"},"
        + "\"argument\":{\"name\":\"department\",\"value\":\"S\"}}");
    assertThat(prompt.at("/result/completion/values")).containsExactlyInAnyOrder(
        TextNode.valueOf("Sales"), TextNode.valueOf("Support"));

    JsonNode template = complete(session, "{\"ref\":{\"type\":\"ref/resource\",\"uri\":\"" + TEXT_TEMPLATE + "\"},"
        + "\"argument\":{\"name\":\"resourceId\",\"value\":\"1\"}}");
    assertThat(template.has("result")).as("answer: %s", template).isTrue();
    assertThat(template.at("/result/completion/values").isArray()).isTrue();
  }

  @Test
  void completionOfALocalPromptIsEmptyAndABadReferenceIsInvalidParams() throws Exception {
    String session = gateway.initialize("/mcp");

    JsonNode local = complete(session, "{\"ref\":{\"type\":\"ref/prompt\",\"name\":\"greeting\"},"
        + "\"argument\":{\"name\":\"who\",\"value\":\"A\"}}");
    assertThat(local.at("/result/completion/values")).isEmpty();
    assertThat(local.at("/result/completion/hasMore").asBoolean()).isFalse();

    JsonNode badType = complete(session, "{\"ref\":{\"type\":\"ref/tool\",\"name\":\"x\"},"
        + "\"argument\":{\"name\":\"a\",\"value\":\"\"}}");
    assertThat(badType.at("/error/code").asInt()).isEqualTo(-32602);
    assertThat(badType.at("/error/message").asText()).contains("ref/tool");
    JsonNode unknown = complete(session, "{\"ref\":{\"type\":\"ref/prompt\",\"name\":\"nope\"},"
        + "\"argument\":{\"name\":\"a\",\"value\":\"\"}}");
    assertThat(unknown.at("/error/message").asText()).contains("nope");
    JsonNode noArgument = complete(session, "{\"ref\":{\"type\":\"ref/prompt\",\"name\":\"greeting\"}}");
    assertThat(noArgument.at("/error/code").asInt()).isEqualTo(-32602);
  }
}
