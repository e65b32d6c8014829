package dev.mcpgw.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mcpgw.gateway.auth.Caller;
import dev.mcpgw.gateway.config.GatewaySettings;
import dev.mcpgw.gateway.federation.ScriptedUpstreamPool;
import dev.mcpgw.observability.Observability;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, "session ownership ignores the tenant": a session belongs to one user of one tenant. Alice of tenant B,
 * with a valid token of her own, must not be served on (nor end) alice of tenant A's session, over the real gateway.
 */
class SessionOwnershipSecurityTest {
  @TempDir Path tmp;
  private TestGateway gw;
  private McpSessionHttp aliceOfA;
  private McpSessionHttp aliceOfB;

  @BeforeEach
  void start() throws Exception {
    GatewaySettings settings = TestGateway.settings(tmp,
        new GatewaySettings.Database("jdbc:sqlite:" + tmp.resolve("reg.db"), null, null, 2), Map.of());
    gw = TestGateway.start(settings, new GatewayApplication.Parts(s -> Observability.noop(),
        (s, o) -> new ScriptedUpstreamPool(), GatewayApplication.Parts.production().mcpEndpoints()));
    aliceOfA = new McpSessionHttp(gw, new Caller("alice", "tenant-a", false));
    aliceOfB = new McpSessionHttp(gw, new Caller("alice", "tenant-b", false));
  }

  @AfterEach
  void stop() {
    gw.close();
  }

  @Test
  void aliceOfTenantBIsNotServedOnAliceOfTenantAsSession() throws Exception {
    String session = aliceOfA.open();

    assertThat(aliceOfB.ping(session).statusCode()).isEqualTo(404);
    assertThat(aliceOfB.listTools(session).statusCode()).isEqualTo(404);
    assertThat(aliceOfA.ping(session).statusCode()).isEqualTo(200);
  }

  @Test
  void aliceOfTenantBCannotEndAliceOfTenantAsSession() throws Exception {
    String session = aliceOfA.open();

    assertThat(aliceOfB.delete(session).statusCode()).isEqualTo(404);

    assertThat(aliceOfA.ping(session).statusCode()).isEqualTo(200);
  }

  @Test
  void eachAliceKeepsHerOwnSession() throws Exception {
    String ofA = aliceOfA.open();
    String ofB = aliceOfB.open();

    assertThat(aliceOfA.ping(ofA).statusCode()).isEqualTo(200);
    assertThat(aliceOfB.ping(ofB).statusCode()).isEqualTo(200);
    assertThat(aliceOfA.ping(ofB).statusCode()).isEqualTo(404);
  }
}
