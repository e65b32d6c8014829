package dev.mcpgw.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgw.gateway.auth.Caller;
import dev.mcpgw.gateway.config.GatewaySettings;
import dev.mcpgw.gateway.federation.ScriptedUpstreamPool;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /usage} and {@code /quotas} attacked from another tenant and from below: a caller of tenant globex neither
 * reads acme's usage or quotas, nor sets, nor deletes acme's quotas (so it cannot exhaust or lift them); users set no
 * quotas; bad parameters are a 400 that names them.
 */
class UsageQuotaSecurityTest {
  @TempDir Path tmp;
  private TestGateway gw;
  private String acmeAdmin;
  private String acmeUser;
  private String globexAdmin;
  private String globexUser;

  @BeforeEach
  void start() throws Exception {
    GatewaySettings settings = TestGateway.settings(tmp,
        new GatewaySettings.Database("jdbc:sqlite:" + tmp.resolve("reg.db"), null, null, 2), Map.of());
    gw = TestGateway.start(settings, new ScriptedUpstreamPool());
    acmeAdmin = gw.token("root", "acme", Caller.Role.TENANT_ADMIN);
    acmeUser = gw.token("alice", "acme", Caller.Role.USER);
    globexAdmin = gw.token("root", "globex", Caller.Role.TENANT_ADMIN);
    globexUser = gw.token("mallory", "globex", Caller.Role.USER);
  }

  @AfterEach
  void stop() {
    gw.close();
  }

  private String acmeQuota() throws Exception {
    HttpResponse<String> r = gw.send("POST", "/quotas", acmeAdmin,
        "{\"metric\":\"calls\",\"limit\":100,\"window\":\"day\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    JsonNode q = TestGateway.JSON.readTree(r.body());
    assertThat(q.get("tenant").asText()).as("a tenant admin's quota is its own tenant's").isEqualTo("acme");
    return q.get("id").asText();
  }

  @Test
  void anAdminOfGlobexNeitherSeesNorSetsNorDeletesAcmesQuotas() throws Exception {
    String id = acmeQuota();

    assertThat(gw.get("/quotas", globexAdmin).get("quotas")).isEmpty();
    assertThat(gw.send("GET", "/quotas?tenant=acme", globexAdmin, null).statusCode()).isEqualTo(403);
    HttpResponse<String> set = gw.send("POST", "/quotas", globexAdmin,
        "{\"tenant\":\"acme\",\"metric\":\"calls\",\"limit\":0,\"window\":\"month\"}");
    assertThat(set.statusCode()).as("a zero quota set on acme by globex would stop acme").isEqualTo(403);
    HttpResponse<String> delete = gw.send("DELETE", "/quotas/" + id, globexAdmin, null);
    HttpResponse<String> unknown = gw.send("DELETE", "/quotas/no-such-id", globexAdmin, null);
    assertThat(delete.statusCode()).isEqualTo(404);
    assertThat(delete.body()).isEqualTo(unknown.body().replace("no-such-id", id));

    assertThat(gw.get("/quotas", acmeUser).get("quotas")).extracting(q -> q.get("id").asText()).containsExactly(id);
  }

  @Test
  void usersReadTheirTenantsQuotasButNeitherSetNorDeleteThem() throws Exception {
    String id = acmeQuota();

    assertThat(gw.send("POST", "/quotas", acmeUser, "{\"metric\":\"calls\",\"limit\":1e9,\"window\":\"day\"}")
        .statusCode()).isEqualTo(403);
    assertThat(gw.send("DELETE", "/quotas/" + id, acmeUser, null).statusCode()).isEqualTo(403);
    // every registry write needs an admin: a user learns nothing of an id, known or not
    assertThat(gw.send("DELETE", "/quotas/" + id, globexUser, null).statusCode()).isEqualTo(403);
    assertThat(gw.get("/quotas", acmeUser).get("quotas")).hasSize(1);
    assertThat(gw.send("DELETE", "/quotas/" + id, acmeAdmin, null).statusCode()).isEqualTo(204);
    assertThat(gw.get("/quotas", acmeUser).get("quotas")).isEmpty();
  }

  @Test
  void aPlatformAdminSetsAQuotaForAnyTenant() throws Exception {
    HttpResponse<String> r = gw.send("POST", "/quotas", gw.platformAdminToken(),
        "{\"tenant\":\"globex\",\"user\":\"mallory\",\"metric\":\"cost\",\"limit\":2.5,\"window\":\"month\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    JsonNode q = gw.get("/quotas", globexUser).get("quotas").get(0);
    assertThat(q.get("tenant").asText()).isEqualTo("globex");
    assertThat(q.get("user").asText()).isEqualTo("mallory");
    assertThat(q.get("limit").asDouble()).isEqualTo(2.5);
    assertThat(q.get("used").asDouble()).isZero();
    assertThat(q.get("resetsAt").asText()).endsWith("T00:00:00Z");
    assertThat(gw.get("/quotas", acmeAdmin).get("quotas")).isEmpty();
  }

  @Test
  void nobodyButAPlatformAdminReadsAnotherTenantsUsage() throws Exception {
    assertThat(gw.send("GET", "/usage?tenant=acme", globexAdmin, null).statusCode()).isEqualTo(403);
    assertThat(gw.send("GET", "/usage?tenant=acme", globexUser, null).statusCode()).isEqualTo(403);
    assertThat(gw.send("GET", "/usage?tenant=acme", gw.platformAdminToken(), null).statusCode()).isEqualTo(200);
    assertThat(gw.get("/usage", acmeUser).get("groups")).isEmpty();
  }

  @Test
  void badParametersAreA400ThatNamesThem() throws Exception {
    Map<String, String> usage = Map.of(
        "/usage?groupBy=upstream", "groupBy must be tenant, user, tool or model",
        "/usage?from=yesterday", "from must be an ISO-8601 time",
        "/usage?to=2026-13-01T00:00:00Z", "to must be an ISO-8601 time",
        "/usage?from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z", "from must be before to",
        "/usage?from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", "at most 366 days");
    for (Map.Entry<String, String> e : usage.entrySet()) {
      HttpResponse<String> r = gw.send("GET", e.getKey(), acmeAdmin, null);
      assertThat(r.statusCode()).as(e.getKey()).isEqualTo(400);
      assertThat(r.body()).as(e.getKey()).contains(e.getValue());
    }
    Map<String, String> quotas = Map.of(
        "{\"metric\":\"bytes\",\"limit\":1,\"window\":\"day\"}", "metric must be calls, tokens or cost",
        "{\"metric\":\"calls\",\"limit\":-1,\"window\":\"day\"}", "limit must be a number >= 0",
        "{\"metric\":\"calls\",\"limit\":\"1\",\"window\":\"day\"}", "limit must be a number >= 0",
        "{\"metric\":\"calls\",\"limit\":1,\"window\":\"week\"}", "window must be minute, hour, day or month",
        "{\"metric\":\"calls\",\"limit\":1,\"window\":\"day\",\"burst\":2}", "unknown field 'burst'",
        "{\"limit\":1,\"window\":\"day\"}", "metric is required");
    for (Map.Entry<String, String> e : quotas.entrySet()) {
      HttpResponse<String> r = gw.send("POST", "/quotas", acmeAdmin, e.getKey());
      assertThat(r.statusCode()).as(e.getKey()).isEqualTo(400);
      assertThat(r.body()).as(e.getKey()).contains(e.getValue());
    }
  }
}
