package dev.mcpgw.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgw.gateway.NodePeers;
import dev.mcpgw.gateway.mcp.RoutingUpstreamPool;
import dev.mcpgw.gateway.plugin.PluginChain;
import dev.mcpgw.gateway.testing.EverythingServer;
import dev.mcpgw.gateway.mcp.InMemoryCatalog;
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
 * What an upstream asks of the client and sends it outside any request, through the gateway between real peers:
 * {@code @modelcontextprotocol/server-everything} behind (over Streamable HTTP, legacy SSE and stdio) and TypeScript
 * SDK clients in front that declare sampling, elicitation and roots. Each client gets exactly its own server-to-client
 * requests (their answers name the client), its log messages and the updates of the resources it subscribed to, on
 * {@code /mcp}, {@code /servers/{id}/mcp} and the legacy SSE endpoint; nothing stays behind once the clients left.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SessionFeaturesEndToEndTest {
  private static final List<String> TOOLS = List.of("trigger-sampling-request", "trigger-elicitation-request",
      "get-roots-list", "toggle-subscriber-updates", "toggle-simulated-logging", "trigger-long-running-operation");

  @TempDir static Path tmp;
  private EverythingUpstreams upstreams;
  private McpHttpServer gateway;

  @BeforeAll
  void start() throws Exception {
    upstreams = EverythingUpstreams.start(tmp, TOOLS, (c, id, name) -> c.upstreamResource(id, name, subscribed(name)));
    InMemoryCatalog catalog = upstreams.catalog;
    RoutingUpstreamPool pool = upstreams.pool;
    List<String> members = new ArrayList<>(TOOLS.stream().map(t -> "evhttp-" + t).toList());
    members.add(subscribed("evhttp"));
    catalog.server("srv", members.toArray(String[]::new));
    // keep-alives every half second: a legacy client that closed its stream is noticed (and cleaned up) quickly
    gateway = new McpHttpServer(catalog, pool, PluginChain.empty(),
        McpSettings.DEFAULTS.withIntervals(Duration.ofMillis(500), Duration.ofSeconds(2)));
  }

  private static String subscribed(String upstream) {
    return "test://" + upstream + "/watched";
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

  private JsonNode runClients(String path, String transport, String upstream, int clients) throws Exception {
    return runScript("session-features-client.mjs", env -> {
      env.put("URL", gateway.url(path));
      env.put("TRANSPORT", transport);
      env.put("TOKEN", "");
      env.put("CLIENTS", Integer.toString(clients));
      env.put("SAMPLING_TOOL", upstream + "-trigger-sampling-request");
      env.put("ELICIT_TOOL", upstream + "-trigger-elicitation-request");
      env.put("ROOTS_TOOL", upstream + "-get-roots-list");
      env.put("UPDATES_TOOL", upstream + "-toggle-subscriber-updates");
      env.put("LOGGING_TOOL", upstream + "-toggle-simulated-logging");
      env.put("SUB_URI", subscribed(upstream));
    });
  }

  private JsonNode runScript(String script, java.util.function.Consumer<Map<String, String>> setup) throws Exception {
    Map<String, String> env = new java.util.HashMap<>();
    setup.accept(env);
    return NodePeers.runScript(script, env, tmp, Duration.ofSeconds(120));
  }

  private void assertEachClientGotItsOwn(JsonNode seen, String upstream, int clients) {
    assertThat(seen.path("runs")).hasSize(clients);
    for (JsonNode run : seen.path("runs")) {
      String name = run.path("name").asText();
      assertThat(run.path("sampling").asText()).contains("sampled by " + name);
      assertThat(run.path("elicitation").asText()).contains("elicited by " + name);
      assertThat(run.path("roots").asText()).contains("file:///e2e/" + name);
      assertThat(run.path("setLevel").isObject()).isTrue();
      assertThat(run.path("updated").get(0).asText()).isEqualTo(subscribed(upstream));
      assertThat(run.path("logged").asInt()).isPositive();
      assertThat(run.path("requests").path("sampling/createMessage").asInt()).isEqualTo(1);
      assertThat(run.path("requests").path("elicitation/create").asInt()).isEqualTo(1);
    }
  }

  private void assertNothingStaysBehind(long upstreamProcessesBefore) {
    await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
      assertThat(gateway.endpoints.openSessions()).isZero();
      assertThat(gateway.endpoints.dispatcher().clientSessions()).isZero();
      assertThat(gateway.endpoints.dispatcher().pendingServerRequests()).isZero();
      assertThat(gateway.endpoints.dispatcher().callsInFlight()).isZero();
      // a stdio upstream runs one process per client session: they all end with their sessions
      assertThat(liveChildren()).isLessThanOrEqualTo(upstreamProcessesBefore);
    });
  }

  private static long liveChildren() {
    return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).count();
  }

  @ParameterizedTest
  @ValueSource(strings = {"evhttp", "evsse", "evstdio"})
  void concurrentClientsGetTheirOwnServerRequestsLogsAndUpdatesOverStreamableHttp(String upstream) throws Exception {
    long before = liveChildren();

    JsonNode seen = runClients("/mcp", "streamable", upstream, 2);

    assertEachClientGotItsOwn(seen, upstream, 2);
    assertNothingStaysBehind(before);
  }

  @Test
  void aVirtualServerRelaysServerRequestsLogsAndUpdates() throws Exception {
    long before = liveChildren();

    JsonNode seen = runClients("/servers/srv/mcp", "streamable", "evhttp", 1);

    assertEachClientGotItsOwn(seen, "evhttp", 1);
    assertNothingStaysBehind(before);
  }

  @Test
  void theLegacySseTransportRelaysServerRequestsLogsAndUpdates() throws Exception {
    long before = liveChildren();

    JsonNode seen = runClients("/sse", "sse", "evhttp", 2);

    assertEachClientGotItsOwn(seen, "evhttp", 2);
    assertNothingStaysBehind(before);
  }

  @Test
  void aClientThatLostItsConnectionMidCallResumesTheStreamWithLastEventIdAndMissesNothing() throws Exception {
    JsonNode seen = runScript("resume-client.mjs", env -> {
      env.put("URL", gateway.url("/mcp"));
      env.put("SLOW_TOOL", "evhttp-trigger-long-running-operation");
      env.put("SLOW_ARGS", "{\"duration\":3,\"steps\":6}");
      env.put("CUT_AFTER", "2");
    });

    List<Integer> progress = new ArrayList<>();
    seen.path("before").forEach(n -> progress.add(n.asInt()));
    seen.path("after").forEach(n -> progress.add(n.asInt()));
    // what came before the cut and what the resumed stream replayed and carried on with: each step once, in order
    assertThat(progress).containsExactly(1, 2, 3, 4, 5, 6);
    assertThat(seen.at("/result/content/0/text").asText()).contains("Long running operation completed");
    assertThat(seen.path("tokens").get(0).asText()).matches("\\d+-\\d+");
  }
}
