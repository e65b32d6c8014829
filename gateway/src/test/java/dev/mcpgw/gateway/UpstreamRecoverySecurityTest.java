package dev.mcpgw.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgw.gateway.config.GatewaySettings;
import dev.mcpgw.gateway.testing.EverythingServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, Low: a recovered upstream was used again only at the next health-check round (about a minute), with
 * {@code circuitState} {@code UNKNOWN} meanwhile. Now a call to an upstream that is down reconnects it on demand.
 */
class UpstreamRecoverySecurityTest {
  @TempDir Path tmp;
  EverythingServer first;
  Process restarted;

  @BeforeEach
  void startUpstream() {
    first = EverythingServer.start(EverythingServer.Mode.STREAMABLE_HTTP, tmp);
  }

  @AfterEach
  void stopUpstreams() {
    first.close();
    if (restarted != null) {
      restarted.descendants().forEach(ProcessHandle::destroyForcibly);
      restarted.destroyForcibly();
    }
  }

  @Test
  void aRestartedUpstreamIsUsedAgainWithinFiveSecondsWithTheDefaultHealthCheckInterval() throws Exception {
    // 60 s is the default (TestGateway's own is an hour)
    try (TestGateway gw = TestGateway.startProduction(settings(Map.of("MCPGW_HEALTH_CHECK_INTERVAL", "60s")))) {
      String id = registerFirst(gw);
      McpRpc rpc = new McpRpc(gw, gw.userToken());
      assertThat(echo(rpc, "before").at("/result/content/0/text").asText()).isEqualTo("Echo: before");

      first.kill();
      JsonNode down = echo(rpc, "while down");

      assertThat(down.at("/error/message").asText()).as(down.toString()).contains("upstream 'everything'");
      assertThat(down.at("/error/data/kind").asText()).as(down.toString()).isEqualTo("UNAVAILABLE");
      assertThat(gw.get("/gateways/" + id).at("/health/circuitState").asText()).isIn("CLOSED", "OPEN", "HALF_OPEN");

      restartFirst();
      await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
          assertThat(echo(rpc, "after").at("/result/content/0/text").asText()).isEqualTo("Echo: after"));
      assertThat(gw.get("/gateways/" + id).at("/health/circuitState").asText()).isEqualTo("CLOSED");
    }
  }

  @Test
  void anUpstreamRecoveredByACallIsHealthyInTheRegistryAtOnceNotAtTheNextHealthCheck() throws Exception {
    try (TestGateway gw = TestGateway.startProduction(settings(Map.of("MCPGW_HEALTH_CHECK_INTERVAL", "60s",
        "MCPGW_UPSTREAM_BREAKER_FAILURES", "1000")))) {
      String id = registerFirst(gw);
      McpRpc rpc = new McpRpc(gw, gw.userToken());
      first.kill();
      // a check while it is down (what a health-check round does) records it unhealthy
      assertThat(gw.send("POST", "/gateways/" + id + "/refresh", gw.adminToken(), "").statusCode()).isEqualTo(502);
      assertThat(gw.get("/gateways/" + id).path("status").asText()).isEqualTo("unhealthy");

      restartFirst();
      await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
          assertThat(echo(rpc, "after").at("/result/content/0/text").asText()).isEqualTo("Echo: after"));

      // reconnected by the call, not by a health check: the registry says so at once, not up to a minute later
      JsonNode recovered = gw.get("/gateways/" + id);
      assertThat(recovered.path("status").asText()).as(recovered.toString()).isEqualTo("healthy");
      assertThat(recovered.at("/health/connected").asBoolean()).isTrue();
    }
  }

  private GatewaySettings settings(Map<String, String> env) {
    return TestGateway.settings(tmp,
        new GatewaySettings.Database("jdbc:sqlite:" + tmp.resolve("reg.db"), null, null, 4), env);
  }

  /** Registers the first server-everything as upstream {@code everything}; its id. */
  private String registerFirst(TestGateway gw) throws Exception {
    return gw.post("/gateways", "{\"name\":\"everything\",\"transport\":\"streamablehttp\",\"url\":\""
        + first.url() + "\"}").get("id").asText();
  }

  /** A new server-everything on the killed one's port. */
  private void restartFirst() throws Exception {
    restarted = NodePeers.startEverything("streamableHttp", first.port(),
        Files.createTempFile(tmp, "everything-restarted", ".log"));
  }

  private static JsonNode echo(McpRpc rpc, String message) throws Exception {
    return rpc.call("tools/call", "{\"name\":\"everything-echo\",\"arguments\":{\"message\":\"" + message + "\"}}");
  }
}
