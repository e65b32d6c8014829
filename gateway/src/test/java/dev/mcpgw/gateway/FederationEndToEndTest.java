package dev.mcpgw.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgw.gateway.config.GatewaySettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The whole path with real peers: {@code @modelcontextprotocol/server-everything} from npm registered over each
 * transport, and the official TypeScript SDK client listing and calling its tools through {@code /mcp} and through a
 * virtual server.
 */
class FederationEndToEndTest {
  @TempDir Path tmp;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"streamablehttp", "sse", "stdio"})
  void aTypeScriptClientListsAndCallsUpstreamToolsThroughTheGateway(String transport) throws Exception {
    Process upstream = null;
    try {
      String registration;
      if ("stdio".equals(transport)) {
        List<String> cmd = NodePeers.everythingStdio();
        // only a platform admin registers stdio upstreams; it gives this one to acme, the tenant of userToken()
        registration = TestGateway.JSON.writeValueAsString(Map.of("name", "everything", "transport", "stdio",
            "command", cmd.get(0), "args", cmd.subList(1, cmd.size()), "tenant", "acme"));
      } else {
        int port = NodePeers.freePort();
        upstream = NodePeers.startEverything("sse".equals(transport) ? "sse" : "streamableHttp", port,
            tmp.resolve("everything.log"));
        String url = "http://127.0.0.1:" + port + ("sse".equals(transport) ? "/sse" : "/mcp");
        registration = TestGateway.JSON.writeValueAsString(Map.of("name", "everything", "transport", transport, "url", url));
      }
      GatewaySettings settings = TestGateway.settings(tmp, new GatewaySettings.Database(
          "jdbc:sqlite:" + tmp.resolve("e2e.db"), null, null, 2), Map.of());
      try (TestGateway gw = TestGateway.startProduction(settings)) {
        JsonNode registered = gw.post("/gateways", registration,
            "stdio".equals(transport) ? gw.platformAdminToken() : gw.adminToken());
        assertThat(registered.path("status").asText()).isEqualTo("healthy");
        assertThat(registered.path("counts").path("tools").asInt()).isGreaterThan(5);

        JsonNode viaMcp = NodePeers.runClient(gw.base + "/mcp", gw.userToken(), "everything-echo",
            "{\"message\":\"hello " + transport + "\"}", tmp);

        assertThat(viaMcp.get("tools")).extracting(JsonNode::asText).contains("everything-echo", "everything-get-sum");
        assertThat(viaMcp.at("/call/content/0/text").asText()).isEqualTo("Echo: hello " + transport);

        String echoId = null;
        for (JsonNode t : gw.get("/tools")) {
          if ("everything-echo".equals(t.path("exposedName").asText())) {
            echoId = t.path("id").asText();
          }
        }
        String serverId = gw.post("/servers", "{\"name\":\"only-echo\",\"tools\":[\"" + echoId + "\"]}").get("id").asText();
        JsonNode viaServer = NodePeers.runClient(gw.base + "/servers/" + serverId + "/mcp", gw.userToken(), "echo",
            "{\"message\":\"curated\"}", tmp);

        assertThat(viaServer.get("tools")).extracting(JsonNode::asText).containsExactly("echo");
        assertThat(viaServer.at("/call/content/0/text").asText()).isEqualTo("Echo: curated");
      }
    } finally {
      if (upstream != null) {
        upstream.destroy();
        upstream.waitFor();
      }
    }
  }
}
