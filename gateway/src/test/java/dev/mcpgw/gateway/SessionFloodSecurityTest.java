package dev.mcpgw.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgw.gateway.auth.Caller;
import dev.mcpgw.gateway.config.GatewaySettings;
import dev.mcpgw.gateway.federation.ScriptedUpstreamPool;
import dev.mcpgw.observability.Observability;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, "one user evicts everyone's sessions": with small caps (3 per user, 5 per tenant, 8 in all), a user who
 * opens sessions until refused gets a clear 429 naming the limit and the setting; nobody's live session ends, and
 * other users still open sessions up to their own caps.
 */
class SessionFloodSecurityTest {
  private static final int PER_USER = 3;
  private static final int PER_TENANT = 5;
  private static final int TOTAL = 8;

  @TempDir Path tmp;
  private TestGateway gw;

  @BeforeEach
  void start() throws Exception {
    GatewaySettings settings = TestGateway.settings(tmp,
        new GatewaySettings.Database("jdbc:sqlite:" + tmp.resolve("reg.db"), null, null, 2),
        Map.of("MCPGW_SESSIONS_MAX_PER_USER", Integer.toString(PER_USER),
            "MCPGW_SESSIONS_MAX_PER_TENANT", Integer.toString(PER_TENANT),
            "MCPGW_MAX_SESSIONS", Integer.toString(TOTAL)));
    gw = TestGateway.start(settings, new GatewayApplication.Parts(s -> Observability.noop(),
        (s, o) -> new ScriptedUpstreamPool(), GatewayApplication.Parts.production().mcpEndpoints()));
  }

  @AfterEach
  void stop() {
    gw.close();
  }

  private McpSessionHttp as(String user, String tenant) {
    return new McpSessionHttp(gw, new Caller(user, tenant, false));
  }

  private static void assertRefused(HttpResponse<String> r, int limit, String setting) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(429);
    JsonNode error = McpSessionHttp.json(r).path("error");
    assertThat(error.path("code").asInt()).isEqualTo(-32000);
    assertThat(error.path("message").asText()).contains(setting).contains(Integer.toString(limit));
    assertThat(error.path("data").path("setting").asText()).isEqualTo(setting);
    assertThat(error.path("data").path("limit").asInt()).isEqualTo(limit);
    assertThat(r.headers().firstValue("Mcp-Session-Id")).isEmpty();
  }

  @Test
  void aFloodingUserIsRefusedAtItsCapAndEveryoneElsesSessionsStillAnswer() throws Exception {
    McpSessionHttp bob = as("bob", "tenant-b");
    String bobsSession = bob.open();
    McpSessionHttp mallory = as("mallory", "tenant-a");
    List<String> mallorys = new ArrayList<>();

    HttpResponse<String> refused = null;
    for (int i = 0; i < 50 && refused == null; i++) {
      HttpResponse<String> r = mallory.initialize();
      if (r.statusCode() == 200) {
        mallorys.add(r.headers().firstValue("Mcp-Session-Id").orElseThrow());
      } else {
        refused = r;
      }
    }

    assertThat(mallorys).hasSize(PER_USER);
    assertRefused(refused, PER_USER, "MCPGW_SESSIONS_MAX_PER_USER");
    assertThat(bob.ping(bobsSession).statusCode()).isEqualTo(200);
    for (String s : mallorys) {
      assertThat(mallory.ping(s).statusCode()).isEqualTo(200);
    }
    assertThat(bob.open()).isNotBlank();
  }

  @Test
  void aLegacySseStreamBeyondTheUserCapIsRefusedTheSameWay() throws Exception {
    McpSessionHttp mallory = as("mallory", "tenant-a");
    List<String> sessions = new ArrayList<>();
    for (int i = 0; i < PER_USER; i++) {
      sessions.add(mallory.open());
    }

    HttpResponse<java.io.InputStream> refused = mallory.openLegacyStream();

    assertThat(refused.statusCode()).isEqualTo(429);
    try (java.io.InputStream body = refused.body()) {
      JsonNode error = TestGateway.JSON.readTree(body).path("error");
      assertThat(error.path("data").path("setting").asText()).isEqualTo("MCPGW_SESSIONS_MAX_PER_USER");
    }
    for (String s : sessions) {
      assertThat(mallory.ping(s).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void theTenantCapAndTheTotalCapRefuseNewSessionsWithoutEndingLiveOnes() throws Exception {
    List<Map.Entry<McpSessionHttp, String>> live = new ArrayList<>();
    McpSessionHttp mallory = as("mallory", "tenant-a");
    McpSessionHttp trudy = as("trudy", "tenant-a");
    McpSessionHttp bob = as("bob", "tenant-b");
    McpSessionHttp carol = as("carol", "tenant-c");
    for (int i = 0; i < PER_USER; i++) {
      live.add(Map.entry(mallory, mallory.open()));
    }
    for (int i = PER_USER; i < PER_TENANT; i++) {
      live.add(Map.entry(trudy, trudy.open()));
    }

    assertRefused(trudy.initialize(), PER_TENANT, "MCPGW_SESSIONS_MAX_PER_TENANT");

    for (int i = PER_TENANT; i < TOTAL; i++) {
      McpSessionHttp other = i % 2 == 0 ? bob : carol;
      live.add(Map.entry(other, other.open()));
    }

    assertRefused(carol.initialize(), TOTAL, "MCPGW_MAX_SESSIONS");
    for (Map.Entry<McpSessionHttp, String> e : live) {
      assertThat(e.getKey().ping(e.getValue()).statusCode()).isEqualTo(200);
    }

    assertThat(mallory.delete(live.get(0).getValue()).statusCode()).isEqualTo(204);
    assertThat(carol.open()).isNotBlank();
  }
}
