package dev.mcpgw.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgw.gateway.config.GatewaySettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugins configured in {@code config/mcpgw.yaml} on the real request path: the TypeScript SDK client and raw
 * JSON-RPC through {@code /mcp} to {@code @modelcontextprotocol/server-everything} over Streamable HTTP.
 */
class PluginsEndToEndTest {
  @TempDir Path tmp;
  private Process everything;
  private TestGateway gw;

  @BeforeEach
  void start() throws Exception {
    int port = NodePeers.freePort();
    everything = NodePeers.startEverything("streamableHttp", port, tmp.resolve("everything.log"));
    Files.createDirectories(tmp.resolve("config"));
    Files.writeString(tmp.resolve("config/mcpgw.yaml"), """
        plugins:
          - name: deny
            kind: deny_list
            priority: 10
            config:
              tools: ["*-get-env"]
          - name: limit
            kind: rate_limiter
            priority: 20
            config: {limit: 3/1h, by: user_tool}
          - name: mask-arguments
            kind: pii_filter
            priority: 30
            hooks: [tool_pre_invoke]
            config: {detect: [email], replacement: "[ARG:{type}]"}
          - name: mask-results
            kind: pii_filter
            priority: 30
            hooks: [tool_post_invoke]
            config: {detect: [ssn], replacement: "[OUT:{type}]"}
        """);
    GatewaySettings settings = TestGateway.settings(tmp,
        new GatewaySettings.Database("jdbc:sqlite:" + tmp.resolve("reg.db"), null, null, 4), Map.of());
    gw = TestGateway.startProduction(settings);
    gw.post("/gateways", "{\"name\":\"everything\",\"transport\":\"streamablehttp\",\"url\":\"http://127.0.0.1:" + port
        + "/mcp\"}");
  }

  @AfterEach
  void stop() throws Exception {
    if (gw != null) {
      gw.close();
    }
    everything.destroy();
    everything.waitFor();
  }

  @Test
  void typeScriptClientGetsArgumentsMaskedBeforeTheUpstreamAndResultsMaskedAfterIt() throws Exception {
    JsonNode out = NodePeers.runClient(gw.base + "/mcp", gw.userToken(), "everything-echo",
        "{\"message\":\"ann@example.com 123-45-6789\"}", tmp);

    assertThat(out.get("tools")).extracting(JsonNode::asText).contains("everything-echo", "everything-get-env");
    // the upstream echoed what the pre hook left; the post hook masked the SSN in its answer
    assertThat(out.at("/call/content/0/text").asText()).isEqualTo("Echo: [ARG:email] [OUT:ssn]");
  }

  @Test
  void deniedToolAndRateLimitAnswerJsonRpcErrorsNamingThePlugin() throws Exception {
    McpRpc rpc = new McpRpc(gw, gw.userToken());

    JsonNode denied = rpc.call("tools/call", "{\"name\":\"everything-get-env\",\"arguments\":{}}");
    JsonNode[] sums = new JsonNode[4];
    for (int i = 0; i < sums.length; i++) {
      sums[i] = rpc.call("tools/call", "{\"name\":\"everything-get-sum\",\"arguments\":{\"a\":1,\"b\":" + i + "}}");
    }
    JsonNode otherUser = new McpRpc(gw, gw.adminToken())
        .call("tools/call", "{\"name\":\"everything-get-sum\",\"arguments\":{\"a\":1,\"b\":1}}");

    assertThat(denied.at("/error/code").asInt()).isEqualTo(-32001);
    assertThat(denied.at("/error/message").asText()).contains("deny").contains("tool 'everything-get-env' is denied");
    assertThat(sums[2].at("/result/content/0/text").asText()).isEqualTo("The sum of 1 and 2 is 3.");
    assertThat(sums[3].at("/error/code").asInt()).isEqualTo(-32001);
    assertThat(sums[3].at("/error/message").asText())
        .contains("rate limit exceeded for user alice on tool everything-get-sum, retry after");
    assertThat(otherUser.at("/result/content/0/text").asText()).isEqualTo("The sum of 1 and 1 is 2.");
  }
}
