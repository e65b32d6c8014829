package dev.mcpgw.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgw.gateway.config.GatewaySettings;
import dev.mcpgw.gateway.testing.EverythingServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real thing end to end: the TypeScript SDK client (npm) talks Streamable HTTP to the gateway's {@code /mcp},
 * which forwards through the real upstream clients to {@code @modelcontextprotocol/server-everything} (npm).
 */
class McpServingEndToEndTest {
  @TempDir Path tmp;

  @Test
  void aTypeScriptClientListsCallsAndGetsProgressInOrderBeforeTheResult() throws Exception {
    throughTheGateway("streamable", "/mcp");
  }

  @Test
  void theSameOverTheLegacySseTransport() throws Exception {
    throughTheGateway("sse", "/sse");
  }

  private void throughTheGateway(String transport, String path) throws Exception {
    GatewaySettings settings = TestGateway.settings(tmp,
        new GatewaySettings.Database("jdbc:sqlite:" + tmp.resolve("reg.db"), null, null, 4), Map.of());
    try (EverythingServer everything = EverythingServer.start(EverythingServer.Mode.STREAMABLE_HTTP, tmp);
        TestGateway gw = TestGateway.startProduction(settings)) {
      gw.post("/gateways", "{\"name\":\"everything\",\"transport\":\"streamablehttp\",\"url\":\"" + everything.url() + "\"}");

      JsonNode out = runClient(transport, gw.base + path, gw.userToken(), 3);

      assertThat(out.get("tools")).extracting(JsonNode::asText)
          .contains("everything-echo", "everything-trigger-long-running-operation");
      assertThat(out.at("/echo/content/0/text").asText()).contains("through the gateway");
      // three clients at once, all with the same progress token: each gets its own four steps, in order
      assertThat(out.get("runs")).hasSize(3).allSatisfy(run -> {
        assertThat(run.get("progress")).extracting(JsonNode::asInt).containsExactly(1, 2, 3, 4);
        assertThat(run.at("/result/content/0/text").asText()).contains("Long running operation completed");
        // the first step arrives about 1.5 s before the result: streamed while the call runs, not buffered to the end
        assertThat(run.get("resultMs").asLong() - run.get("firstProgressMs").asLong()).isGreaterThan(700);
      });
    }
  }

  private JsonNode runClient(String transport, String url, String token, int clients) throws Exception {
    return NodePeers.runScript("progress-client.mjs", Map.of("TRANSPORT", transport, "URL", url, "TOKEN", token,
        "ECHO_TOOL", "everything-echo", "SLOW_TOOL", "everything-trigger-long-running-operation",
        "SLOW_ARGS", "{\"duration\":2,\"steps\":4}", "CLIENTS", Integer.toString(clients)), tmp, Duration.ofSeconds(90));
  }
}
