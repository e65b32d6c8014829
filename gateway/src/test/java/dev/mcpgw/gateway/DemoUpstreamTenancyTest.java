package dev.mcpgw.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgw.gateway.auth.Caller.Role;
import dev.mcpgw.gateway.config.GatewaySettings;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve --demo}: the demo upstream belongs to tenant {@code default} and is public to every tenant. */
class DemoUpstreamTenancyTest {
  @TempDir Path tmp;

  @Test
  void theDemoUpstreamIsPublicSoAUserOfAnyTenantCallsItButOnlyItsTenantsAdminsManageIt() throws Exception {
    GatewaySettings settings = TestGateway.settings(tmp,
        new GatewaySettings.Database("jdbc:sqlite:" + tmp.resolve("reg.db"), null, null, 4), Map.of());
    try (TestGateway gw = TestGateway.startDemo(settings)) {
      JsonNode demo = gw.get("/gateways").get(0);
      assertThat(demo.get("tenant").asText()).isEqualTo("default");
      assertThat(demo.get("visibility").asText()).isEqualTo("public");

      McpRpc anyone = new McpRpc(gw, gw.token("zed", "tenant-z", Role.USER));
      assertThat(anyone.call("tools/list", "{}").toString()).contains("demo-echo");
      assertThat(gw.send("DELETE", "/gateways/" + demo.get("id").asText(), gw.token("zoe", "tenant-z",
          Role.TENANT_ADMIN), null).statusCode()).isEqualTo(403);
    }
  }
}
