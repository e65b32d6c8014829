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
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real gateway instances on one PostgreSQL database, as behind a load balancer: an upstream registered or deleted
 * through one is connected or disconnected by the other within {@code MCPGW_CATALOG_CACHE_TTL} (here 1 s), so a call
 * through either works.
 */
@ExtendWith(PostgresExtension.class)
class ScaleOutTest {
  /** The catalog TTL here, and so the bound within which one instance follows the other's writes. */
  private static final Duration TTL = Duration.ofSeconds(1);
  /** The bound plus a connect and discovery on a loaded machine. */
  private static final Duration WITHIN = TTL.plus(Duration.ofSeconds(15));

  @TempDir Path tmp;
  ConformanceUpstream upstream;
  TestGateway a;
  TestGateway b;

  @BeforeEach
  void twoInstancesOnOneDatabase(TestDatabases dbs) throws Exception {
    upstream = ConformanceUpstream.start();
    // one data directory: the same JWT secret and secret key, as every instance of one deployment must have
    GatewaySettings settings = TestGateway.settings(tmp, dbs.create(TestDatabases.Kind.POSTGRESQL, tmp),
        Map.of("MCPGW_CATALOG_CACHE_TTL", TTL.toMillis() + "ms"));
    a = TestGateway.startProduction(settings);
    b = TestGateway.startProduction(settings);
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {b, a, upstream}) {
      if (c != null) {
        c.close();
      }
    }
  }

  private String register(TestGateway through, String name, String url) throws Exception {
    return through.post("/gateways", "{\"name\":\"" + name + "\",\"transport\":\"streamablehttp\",\"url\":\"" + url
        + "\"}").get("id").asText();
  }

  private static JsonNode gateway(TestGateway gw, String id) throws Exception {
    for (JsonNode g : gw.get("/gateways")) {
      if (g.path("id").asText().equals(id)) {
        return g;
      }
    }
    return null;
  }

  @Test
  void anUpstreamRegisteredThroughOneInstanceIsConnectedByTheOtherAndCalledThroughIt() throws Exception {
    String id = register(a, "conformance", upstream.streamableUrl());

    await().atMost(WITHIN).untilAsserted(() -> {
      JsonNode onB = gateway(b, id);
      assertThat(onB).isNotNull();
      assertThat(onB.path("status").asText()).isEqualTo("healthy");
      assertThat(onB.at("/health/connected").asBoolean()).isTrue();
    });
    JsonNode answer = new McpRpc(b, b.userToken()).call("tools/call",
        "{\"name\":\"conformance-test_simple_text\",\"arguments\":{}}");
    assertThat(answer.path("error").isMissingNode()).as(answer.toString()).isTrue();
    assertThat(answer.at("/result/content/0/text").asText()).isEqualTo("This is a simple text response for testing.");
  }

  @Test
  void anUpstreamDeletedThroughOneInstanceIsGoneFromTheOther() throws Exception {
    String id = register(a, "conformance", upstream.streamableUrl());
    // B may still be storing what it discovered when A deletes: the delete waits for that write instead of
    // deadlocking with it (RegistryRepositoriesTest.aRefreshRacingADeleteOnPostgresqlLetsBothFinish)
    await().atMost(WITHIN).until(() -> gateway(b, id) != null && "healthy".equals(gateway(b, id).path("status").asText()));

    var deleted = a.send("DELETE", "/gateways/" + id, a.adminToken(), null);
    assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);

    await().atMost(WITHIN).untilAsserted(() -> {
      assertThat(b.get("/tools", b.userToken())).isEmpty();
      JsonNode answer = new McpRpc(b, b.userToken()).call("tools/call",
          "{\"name\":\"conformance-test_simple_text\",\"arguments\":{}}");
      assertThat(answer.path("error").isMissingNode()).as(answer.toString()).isFalse();
    });
  }
}
