package dev.mcpgw.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgw.gateway.config.GatewaySettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, "the Host header is not checked although the docs say DNS-rebinding protection checks it": a page of
 * {@code evil.example} whose DNS name the attacker re-points at 127.0.0.1 talks to the gateway with
 * {@code Host: evil.example} and no cross-origin {@code Origin}. Such a request now gets 403 JSON; the loopback names
 * and the bind address work by default, and {@code MCPGW_ALLOWED_HOSTS} adds the names a proxy forwards.
 */
class HostHeaderSecurityTest {
  @TempDir Path tmp;
  private TestGateway gw;
  private int port;

  private void start(Map<String, String> extra) throws Exception {
    Map<String, String> env = new HashMap<>(Map.of("MCPGW_AUTH_REQUIRED", "false"));
    env.putAll(extra);
    gw = TestGateway.startProduction(TestGateway.settings(tmp,
        new GatewaySettings.Database("jdbc:sqlite:" + tmp.resolve("reg.db"), null, null, 4), env));
    port = URI.create(gw.base).getPort();
  }

  @AfterEach
  void stop() {
    if (gw != null) {
      gw.close();
    }
  }

  private RawHttp.Response get(String path, String host) throws Exception {
    try (RawHttp c = RawHttp.connect(port, Duration.ofSeconds(10))) {
      return c.send("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").read();
    }
  }

  @Test
  void aRequestForARebindingNameIsRefusedWithJson() throws Exception {
    start(Map.of());

    for (String path : new String[] {"/gateways", "/mcp", "/sse", "/tools"}) {
      RawHttp.Response r = get(path, "evil.example:" + port);
      assertThat(r.status()).as(path).isEqualTo(403);
      JsonNode body = TestGateway.JSON.readTree(r.body());
      assertThat(body.get("field").asText()).isEqualTo("Host");
      assertThat(body.get("error").asText()).contains("MCPGW_ALLOWED_HOSTS");
    }
  }

  @Test
  void theLoopbackNamesWorkByDefault() throws Exception {
    start(Map.of());

    assertThat(get("/gateways", "localhost:" + port).status()).isEqualTo(200);
    assertThat(get("/gateways", "127.0.0.1:" + port).status()).isEqualTo(200);
    assertThat(get("/gateways", "[::1]:" + port).status()).isEqualTo(200);
    assertThat(get("/gateways", "LOCALHOST").status()).isEqualTo(200);
  }

  @Test
  void aConfiguredHostIsAdmittedAndOthersStillRefused() throws Exception {
    start(Map.of("MCPGW_ALLOWED_HOSTS", "mcp.example.com, gw.internal"));

    assertThat(get("/gateways", "mcp.example.com").status()).isEqualTo(200);
    assertThat(get("/gateways", "gw.internal:443").status()).isEqualTo(200);
    assertThat(get("/gateways", "mcp.example.com.evil.example").status()).isEqualTo(403);
  }

  @Test
  void theProbesAnswerWhateverTheHost() throws Exception {
    start(Map.of());

    assertThat(get("/health", "10.1.2.3:4444").status()).isEqualTo(200);
  }

  @Test
  void aStarTurnsTheCheckOff() throws Exception {
    start(Map.of("MCPGW_ALLOWED_HOSTS", "*"));

    assertThat(get("/gateways", "anything.example").status()).isEqualTo(200);
  }
}
