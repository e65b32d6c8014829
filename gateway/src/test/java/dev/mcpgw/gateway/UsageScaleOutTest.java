package dev.mcpgw.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgw.gateway.config.GatewaySettings;
import dev.mcpgw.gateway.store.PostgresExtension;
import dev.mcpgw.gateway.store.TestDatabases;
import dev.mcpgw.gateway.testing.conformance.ConformanceUpstream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real gateway instances on one PostgreSQL: usage written by one is answered by the other's {@code GET /usage},
 * and a user's calls quota exhausted through one instance rejects the next call through the other once both have
 * flushed ({@code MCPGW_USAGE_FLUSH_INTERVAL}, here 200 ms).
 */
@ExtendWith(PostgresExtension.class)
class UsageScaleOutTest {
  private static final String CALL = "{\"name\":\"conformance-test_simple_text\",\"arguments\":{}}";

  @TempDir Path tmp;
  private ConformanceUpstream upstream;
  private TestGateway a;
  private TestGateway b;

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {b, a, upstream}) {
      if (c != null) {
        c.close();
      }
    }
  }

  @Test
  void aQuotaExhaustedThroughOneInstanceRejectsTheNextCallThroughTheOther(TestDatabases dbs) throws Exception {
    upstream = ConformanceUpstream.start();
    GatewaySettings settings = TestGateway.settings(tmp, dbs.create(TestDatabases.Kind.POSTGRESQL, tmp),
        Map.of("MCPGW_CATALOG_CACHE_TTL", "1s", "MCPGW_USAGE_FLUSH_INTERVAL", "200ms"));
    a = TestGateway.startProduction(settings);
    b = TestGateway.startProduction(settings);
    a.post("/gateways", "{\"name\":\"conformance\",\"transport\":\"streamablehttp\",\"url\":\""
        + upstream.streamableUrl() + "\"}");
    // alice probes until b has connected the upstream (her failed probes count as calls: the quota is bob's)
    McpRpc aliceThroughB = new McpRpc(b, b.userToken());
    await().atMost(Duration.ofSeconds(30)).until(() -> aliceThroughB.call("tools/call", CALL).path("error")
        .isMissingNode());
    String bob = a.token("bob", "acme", dev.mcpgw.gateway.auth.Caller.Role.USER);
    McpRpc throughA = new McpRpc(a, bob);
    McpRpc throughB = new McpRpc(b, bob);
    // all calls below in one minute window
    await().atMost(Duration.ofSeconds(70)).pollInterval(Duration.ofMillis(200))
        .until(() -> LocalTime.now(ZoneOffset.UTC).getSecond() < 40);
    JsonNode quota = a.post("/quotas", "{\"user\":\"bob\",\"metric\":\"calls\",\"limit\":5,\"window\":\"minute\"}");

    int admittedThroughA = 0;
    while (admittedThroughA < 10 && throughA.call("tools/call", CALL).path("error").isMissingNode()) {
      admittedThroughA++;
    }
    assertThat(admittedThroughA).isEqualTo(5);

    // b sees a's calls once a has flushed and b has re-read: within two flush intervals
    await().atMost(Duration.ofSeconds(10)).until(() -> used(b, quota) >= 5);
    JsonNode rejected = throughB.call("tools/call", CALL);
    assertThat(rejected.at("/error/code").asInt()).as(rejected.toString()).isEqualTo(-32040);
    assertThat(rejected.at("/error/data/quota").asText()).isEqualTo(quota.get("id").asText());

    JsonNode usageOnB = b.get("/usage?groupBy=user", bob).get("groups");
    assertThat(usageOnB.get(0).get("key").asText()).isEqualTo("bob");
    assertThat(usageOnB.get(0).get("calls").asLong()).isEqualTo(5);
  }

  private static double used(TestGateway gw, JsonNode quota) throws Exception {
    for (JsonNode q : gw.get("/quotas", gw.adminToken()).get("quotas")) {
      if (q.get("id").asText().equals(quota.get("id").asText())) {
        return q.get("used").asDouble();
      }
    }
    return -1;
  }
}
