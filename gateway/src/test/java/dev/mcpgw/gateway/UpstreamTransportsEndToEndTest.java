package dev.mcpgw.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.config.GatewaySettings;
import dev.mcpgw.gateway.testing.EverythingServer;
import dev.mcpgw.gateway.transport.upstream.UpstreamConnections;
import dev.mcpgw.gateway.transport.upstream.UpstreamSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official TypeScript SDK client lists and calls the tools of server-everything through the gateway's {@code /mcp},
 * with server-everything registered as a Streamable HTTP, a legacy SSE and a stdio upstream over the real upstream
 * connections.
 */
class UpstreamTransportsEndToEndTest {
  @TempDir Path tmp;

  @Test
  void theTypeScriptClientCallsServerEverythingThroughTheGatewayOverEveryUpstreamTransport() throws Exception {
    GatewaySettings settings = TestGateway.settings(tmp,
        new GatewaySettings.Database("jdbc:sqlite:" + tmp.resolve("reg.db"), null, null, 4), Map.of());
    GatewaySettings.Upstream u = settings.upstream();
    UpstreamConnections pool = UpstreamConnections.create(new UpstreamSettings(u.connectTimeout(),
        u.requestTimeout(), u.maxRetries(), u.retryBackoff(), u.breakerFailureThreshold(), u.breakerOpenDuration()));
    try (EverythingServer http = EverythingServer.start(EverythingServer.Mode.STREAMABLE_HTTP, tmp);
        EverythingServer sse = EverythingServer.start(EverythingServer.Mode.SSE, tmp);
        TestGateway gw = TestGateway.start(settings, new GatewayApplication.Parts(s -> pool,
            GatewayApplication.Parts.production().mcpEndpoints()))) {
      gw.post("/gateways", "{\"name\":\"viahttp\",\"transport\":\"streamablehttp\",\"url\":\"" + http.url() + "\"}");
      gw.post("/gateways", "{\"name\":\"viasse\",\"transport\":\"sse\",\"url\":\"" + sse.url() + "\"}");
      List<String> stdio = NodePeers.everythingStdio();
      ObjectNode stdioBody = TestGateway.JSON.createObjectNode().put("name", "viastdio").put("transport", "stdio")
          .put("command", stdio.get(0));
      ArrayNode args = stdioBody.putArray("args");
      stdio.subList(1, stdio.size()).forEach(args::add);
      gw.post("/gateways", stdioBody.toString());

      for (String upstream : List.of("viahttp", "viasse", "viastdio")) {
        JsonNode run = NodePeers.runClient(gw.base + "/mcp", gw.userToken(), upstream + "-echo",
            "{\"message\":\"through " + upstream + "\"}", tmp);

        assertThat(run.get("tools")).extracting(JsonNode::asText)
            .contains("viahttp-echo", "viasse-echo", "viastdio-echo", upstream + "-get-sum");
        assertThat(run.at("/call/content/0/text").asText()).isEqualTo("Echo: through " + upstream);
      }
    }
  }
}
