package dev.mcpgw.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cross-process proof: a TypeScript MCP client traced with the OpenTelemetry JS SDK (the OpenInference
 * MCP instrumentation puts its context into {@code params._meta}) calls {@code echo} through gateway A, which
 * federates gateway B, which fronts server-everything; all three processes export to one real Zipkin. The trace
 * fetched by the client's trace id must read client -> A's SERVER -> A's CLIENT -> B's SERVER -> B's CLIENT, with
 * the gateways' internal spans in between and no span whose parent is missing. With observability off the same path
 * works and neither gateway sends Zipkin anything.
 */
class FederatedTraceEndToEndTest {
  private static final String TOOL = "b-everything-echo";
  @TempDir static Path tmp;
  @RegisterExtension static final TracedPeers PEERS = new TracedPeers();

  @Test
  void oneTraceRunsFromTheClientThroughBothGatewaysToTheUpstream() throws Exception {
    JsonNode out;
    try (TwoGateways gateways = TwoGateways.start(tmp.resolve("traced"), "", "everything", PEERS.everything().url(),
        PEERS.zipkin().spansEndpoint(), Map.of())) {
      out = NodePeers.runTracedClient(gateways.aUrl + "/mcp", TwoGateways.userToken(), TOOL,
          "{\"message\":\"across\"}", PEERS.zipkin().spansEndpoint(), tmp);
      assertThat(out.at("/call/content/0/text").asText()).isEqualTo("Echo: across");

      String traceId = out.get("traceId").asText();
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
          .untilAsserted(() -> assertTree(PEERS.zipkin().trace(traceId), out.get("spanId").asText()));
    }
  }

  /** The chain of the first "Done when", each hop a descendant of the one before, and no orphans. */
  private static void assertTree(JsonNode trace, String clientSpanId) {
    Map<String, JsonNode> byId = new HashMap<>();
    trace.forEach(s -> byId.put(s.get("id").asText(), s));
    String summary = describe(trace);

    JsonNode client = byId.get(clientSpanId);
    assertThat(client).as("the client's own span, in %s", summary).isNotNull();
    assertThat(service(client)).isEqualTo("e2e-client");
    JsonNode aServer = one(trace, "gateway-a", "SERVER", "tools/call " + TOOL, summary);
    JsonNode aClient = one(trace, "gateway-a", "CLIENT", "tools/call everything-echo", summary);
    JsonNode bServer = one(trace, "gateway-b", "SERVER", "tools/call everything-echo", summary);
    JsonNode bClient = one(trace, "gateway-b", "CLIENT", "tools/call echo", summary);

    assertThat(parentOf(aServer)).as("A's SERVER span continues the client's _meta context").isEqualTo(clientSpanId);
    assertThat(ancestors(aClient, byId)).as("A's CLIENT span under A's SERVER span").contains(id(aServer));
    assertThat(parentOf(bServer)).as("B's SERVER span continues A's CLIENT span").isEqualTo(id(aClient));
    assertThat(ancestors(bClient, byId)).as("B's CLIENT span under B's SERVER span").contains(id(bServer));

    for (String gateway : List.of("gateway-a", "gateway-b")) {
      JsonNode forward = one(trace, gateway, null, "gateway.forward", summary);
      JsonNode server = gateway.equals("gateway-a") ? aServer : bServer;
      JsonNode clientSpan = gateway.equals("gateway-a") ? aClient : bClient;
      assertThat(parentOf(clientSpan)).as("%s: CLIENT under gateway.forward", gateway).isEqualTo(id(forward));
      assertThat(ancestors(forward, byId)).as("%s: gateway.forward under SERVER", gateway).contains(id(server));
      assertThat(trace).as("%s: internal spans besides gateway.forward, in %s", gateway, summary)
          .anyMatch(s -> gateway.equals(service(s)) && !s.has("kind") && !"gateway.forward".equals(name(s)));
    }
    assertThat(bClient.path("tags").path("server.address").asText()).isEqualTo("127.0.0.1");
    assertThat(aClient.path("tags").path("mcpgw.upstream.name").asText()).isEqualTo("b");

    List<String> orphans = new ArrayList<>();
    trace.forEach(s -> {
      if (s.hasNonNull("parentId") && !byId.containsKey(s.get("parentId").asText())) {
        orphans.add(service(s) + " " + name(s));
      }
    });
    assertThat(orphans).as("spans whose parent is not in the trace, in %s", summary).isEmpty();
  }

  @Test
  void withObservabilityOffTheSamePathWorksAndNeitherGatewaySendsASpan() throws Exception {
    JsonNode out;
    try (TwoGateways gateways = TwoGateways.start(tmp.resolve("off"), "-off", "everything", PEERS.everything().url(),
        PEERS.zipkin().spansEndpoint(), Map.of("OTEL_ENABLE_OBSERVABILITY", "false"))) {
      out = NodePeers.runTracedClient(gateways.aUrl + "/mcp", TwoGateways.userToken(), TOOL,
          "{\"message\":\"dark\"}", PEERS.zipkin().spansEndpoint(), tmp);
      assertThat(out.at("/call/content/0/text").asText()).isEqualTo("Echo: dark");
      String traceId = out.get("traceId").asText();

      // the client's own span arrives; for a while after it nothing from either gateway does
      await().atMost(Duration.ofSeconds(30)).until(() -> PEERS.zipkin().trace(traceId).size() > 0);
      await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> Set.of("e2e-client")
          .containsAll(services(PEERS.zipkin().trace(traceId))) && PEERS.zipkin().spans("gateway-a-off").isEmpty()
          && PEERS.zipkin().spans("gateway-b-off").isEmpty());
    }
    // stopped (and so flushed) gateways did not send anything either
    assertThat(PEERS.zipkin().spans("gateway-a-off")).isEmpty();
    assertThat(PEERS.zipkin().spans("gateway-b-off")).isEmpty();
    assertThat(services(PEERS.zipkin().trace(out.get("traceId").asText()))).containsExactly("e2e-client");
  }

  private static JsonNode one(JsonNode trace, String service, String kind, String name, String summary) {
    Predicate<JsonNode> match = s -> service.equals(service(s)) && name.equals(name(s))
        && (kind == null || kind.equals(s.path("kind").asText(null)));
    List<JsonNode> found = new ArrayList<>();
    trace.forEach(s -> {
      if (match.test(s)) {
        found.add(s);
      }
    });
    assertThat(found).as("one %s span '%s' of %s, in %s", kind == null ? "INTERNAL" : kind, name, service, summary)
        .hasSize(1);
    return found.get(0);
  }

  private static List<String> ancestors(JsonNode span, Map<String, JsonNode> byId) {
    List<String> chain = new ArrayList<>();
    for (JsonNode s = span; s != null && s.hasNonNull("parentId") && chain.size() < 64; ) {
      String parent = s.get("parentId").asText();
      chain.add(parent);
      s = byId.get(parent);
    }
    return chain;
  }

  private static String parentOf(JsonNode span) {
    return span.path("parentId").asText(null);
  }

  private static String id(JsonNode span) {
    return span.get("id").asText();
  }

  private static String service(JsonNode span) {
    return span.path("localEndpoint").path("serviceName").asText();
  }

  /** Zipkin lower-cases span names; ours are lower case already. */
  private static String name(JsonNode span) {
    return span.path("name").asText();
  }

  private static Set<String> services(JsonNode trace) {
    Set<String> services = new java.util.HashSet<>();
    trace.forEach(s -> services.add(service(s)));
    return services;
  }

  private static String describe(JsonNode trace) {
    List<String> lines = new ArrayList<>();
    trace.forEach(s -> lines.add(service(s) + " " + s.path("kind").asText("INTERNAL") + " '" + name(s) + "' id="
        + id(s) + " parent=" + s.path("parentId").asText("-")));
    return lines.stream().sorted().collect(Collectors.joining("\n  ", "[\n  ", "\n]"));
  }
}
