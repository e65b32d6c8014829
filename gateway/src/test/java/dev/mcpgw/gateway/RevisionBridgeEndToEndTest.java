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
 * A client with a session (MCP 2025-11-25, the MCP Java SDK) through a real gateway to an upstream that speaks the
 * stateless revision 2026-07-28 (the conformance upstream registered as {@code statelesshttp}): the upstream's
 * multi round-trip requests reach the client as the server-initiated requests it knows ({@code elicitation/create},
 * {@code sampling/createMessage}, {@code roots/list}), and the gateway retries upstream with the answers until the
 * tool completes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RevisionBridgeEndToEndTest {
  private ConformanceUpstream upstream;
  private TestGateway gateway;
  private String endpoint;
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
}
