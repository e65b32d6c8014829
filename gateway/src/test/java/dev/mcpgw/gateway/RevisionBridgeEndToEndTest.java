package dev.mcpgw.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mcpgw.gateway.config.GatewaySettings;
import dev.mcpgw.gateway.testing.conformance.ConformanceUpstream;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway between the two revisions, both ways, with the conformance upstream (which speaks both on its
 * {@code /mcp}). A client with a session (MCP 2025-11-25, the MCP Java SDK) through a real gateway to the upstream
 * registered as {@code statelesshttp}: the upstream's multi round-trip requests reach the client as the
 * server-initiated requests it knows ({@code elicitation/create}, {@code sampling/createMessage},
 * {@code roots/list}), and the gateway retries upstream with the answers until the tool completes. A stateless client
 * (2026-07-28, raw HTTP) through the gateway to the upstream registered over Streamable HTTP (sessions), whose tool
 * sends {@code elicitation/create} mid-call: the client gets an {@code InputRequiredResult}, and its retry with the
 * answer completes the held call.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RevisionBridgeEndToEndTest {
  private ConformanceUpstream upstream;
  private TestGateway gateway;
  private String endpoint;
  /** The virtual server made of the upstream registered over Streamable HTTP, with sessions. */
  private String sessionEndpoint;
  private final java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
  private final List<String> asked = new CopyOnWriteArrayList<>();

  @BeforeAll
  void startTheUpstreamAndAGateway(@TempDir Path tmp) throws Exception {
    upstream = ConformanceUpstream.start();
    GatewaySettings settings = TestGateway.settings(tmp,
        new GatewaySettings.Database("jdbc:sqlite:" + tmp.resolve("registry.db"), null, null, 4),
        Map.of("MCPGW_AUTH_REQUIRED", "false"));
    gateway = TestGateway.startProduction(settings);
    String id = gateway.post("/gateways", "{\"name\":\"draft\",\"transport\":\"statelesshttp\",\"url\":\""
        + upstream.streamableUrl() + "\"}").get("id").asText();
    endpoint = "/servers/" + gateway.post("/servers", "{\"name\":\"draft\",\"gateways\":[\"" + id + "\"]}")
        .get("id").asText() + "/mcp";
    String sessionId = gateway.post("/gateways", "{\"name\":\"sessions\",\"transport\":\"streamablehttp\",\"url\":\""
        + upstream.streamableUrl() + "\"}").get("id").asText();
    sessionEndpoint = "/servers/" + gateway.post("/servers", "{\"name\":\"sessions\",\"gateways\":[\"" + sessionId
        + "\"]}").get("id").asText() + "/mcp";
  }

  /** A 2026-07-28 request to the session upstream's virtual server: its JSON answer. */
  private com.fasterxml.jackson.databind.JsonNode stateless(String method, String name, String params)
      throws Exception {
    String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\",\"params\":{" + params
        + ",\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
        + "\"io.modelcontextprotocol/clientCapabilities\":{\"elicitation\":{}}}}}";
    java.net.http.HttpResponse<String> r = http.send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create(gateway.base + sessionEndpoint))
        .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
        .header("MCP-Protocol-Version", "2026-07-28").header("Mcp-Method", method).header("Mcp-Name", name)
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(r.headers().firstValue("Mcp-Session-Id")).isEmpty();
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body());
  }

  @AfterAll
  void stop() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  private McpSyncClient client(McpSchema.ClientCapabilities capabilities) {
    McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport.builder(gateway.base).endpoint(endpoint)
            .build())
        .capabilities(capabilities)
        .elicitation(request -> {
          asked.add("elicitation/create");
          return new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.ACCEPT,
              Map.of("name", "Alice", "color", "blue"));
        })
        .sampling(request -> {
          asked.add("sampling/createMessage");
          return McpSchema.CreateMessageResult.builder().role(McpSchema.Role.ASSISTANT)
              .content(new McpSchema.TextContent("Paris")).model("test-model").build();
        })
        .roots(new McpSchema.Root("file:///bridge", "bridge"))
        .build();
    client.initialize();
    return client;
  }

  private static String text(McpSchema.CallToolResult result) {
    return ((McpSchema.TextContent) result.content().get(0)).text();
  }

  @Test
  void anUpstreamsElicitationReachesASessionClientAsAServerRequestAndTheToolCompletes() {
    try (McpSyncClient client = client(McpSchema.ClientCapabilities.builder().elicitation().sampling().roots(true)
        .build())) {
      McpSchema.CallToolResult result = client.callTool(
          new McpSchema.CallToolRequest("test_input_required_result_elicitation", Map.of()));

      assertThat(text(result)).isEqualTo("Hello, Alice!");
      assertThat(asked).contains("elicitation/create");
    }
  }

  @Test
  void severalRoundsAndSeveralKindsOfInputAreBridgedWithTheUpstreamsRequestState() {
    try (McpSyncClient client = client(McpSchema.ClientCapabilities.builder().elicitation().sampling().roots(true)
        .build())) {
      assertThat(text(client.callTool(new McpSchema.CallToolRequest("test_input_required_result_multi_round",
          Map.of())))).isEqualTo("Alice likes blue");
      assertThat(text(client.callTool(new McpSchema.CallToolRequest("test_input_required_result_multiple_inputs",
          Map.of())))).isEqualTo("all three inputs received");
      assertThat(asked).contains("sampling/createMessage");
    }
  }

  @Test
  void aClientThatDidNotDeclareElicitationGetsAnErrorNotAnAnswerItNeverGave() {
    try (McpSyncClient client = client(McpSchema.ClientCapabilities.builder().sampling().build())) {
      assertThatThrownBy(() -> client.callTool(
          new McpSchema.CallToolRequest("test_input_required_result_elicitation", Map.of())))
          .hasMessageContaining("elicitation");
    }
  }

  @Test
  void aSessionUpstreamsElicitationMidCallReachesAStatelessClientAsAnInputRequiredResult() throws Exception {
    com.fasterxml.jackson.databind.JsonNode first = stateless("tools/call", "test_elicitation",
        "\"name\":\"test_elicitation\",\"arguments\":{\"message\":\"Your name?\"}").path("result");

    assertThat(first.path("resultType").asText()).as(first.toString()).isEqualTo("input_required");
    String key = first.path("inputRequests").fieldNames().next();
    assertThat(first.at("/inputRequests/" + key + "/method").asText()).isEqualTo("elicitation/create");
    assertThat(first.at("/inputRequests/" + key + "/params/message").asText()).isEqualTo("Your name?");

    com.fasterxml.jackson.databind.JsonNode done = stateless("tools/call", "test_elicitation",
        "\"name\":\"test_elicitation\",\"arguments\":{\"message\":\"Your name?\"},\"requestState\":\""
            + first.path("requestState").asText() + "\",\"inputResponses\":{\"" + key
            + "\":{\"action\":\"accept\",\"content\":{\"response\":\"Alice\"}}}").path("result");

    assertThat(done.path("resultType").asText()).as(done.toString()).isEqualTo("complete");
    assertThat(done.at("/content/0/text").asText()).contains("accept").contains("Alice");
  }

  @Test
  void aStatelessClientThatDidNotDeclareSamplingIsNotAskedForIt() throws Exception {
    com.fasterxml.jackson.databind.JsonNode result = stateless("tools/call", "test_sampling",
        "\"name\":\"test_sampling\",\"arguments\":{\"prompt\":\"Hi\"}").path("result");

    assertThat(result.path("resultType").asText()).isEqualTo("complete");
    assertThat(result.at("/content/0/text").asText()).contains("Sampling not supported or error");
  }
}
