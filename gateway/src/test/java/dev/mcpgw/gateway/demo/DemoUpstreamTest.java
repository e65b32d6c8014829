package dev.mcpgw.gateway.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgw.gateway.NodePeers;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo upstream is a real MCP server: the official TypeScript SDK client lists and calls its tools. */
class DemoUpstreamTest {
  @TempDir Path tmp;

  @Test
  void theTypeScriptClientListsAndCallsItsTools() throws Exception {
    try (DemoUpstream demo = DemoUpstream.start()) {
      JsonNode add = NodePeers.runClient(demo.url(), null, "add", "{\"a\":2,\"b\":3}", tmp);
      JsonNode echo = NodePeers.runClient(demo.url(), null, "echo", "{\"message\":\"hi\"}", tmp);

      assertThat(add.get("tools")).extracting(JsonNode::asText).containsExactlyInAnyOrder("echo", "add", "get_time");
      assertThat(add.at("/call/content/0/text").asText()).isEqualTo("5");
      assertThat(echo.at("/call/content/0/text").asText()).isEqualTo("Echo: hi");
      assertThat(demo.url()).startsWith("http://127.0.0.1:");
    }
  }
}
