package dev.mcpgw.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgw.gateway.auth.Caller.Role;
import dev.mcpgw.gateway.config.GatewaySettings;
import dev.mcpgw.gateway.testing.EverythingServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * ADR 0014's rule for virtual servers, checked end to end: a member follows its own visibility to the server's owner
 * at call time. Tenant B curated tenant A's public upstream into a server of its own; once the platform admin makes
 * the upstream private again, B's server (and a session opened on it before) no longer reaches it.
 */
class VirtualServerMemberVisibilityTest {

  @Test
  void aMemberMadePrivateLaterIsNoLongerReachableThroughAnotherTenantsServer() throws Exception {
    Path tmp = Files.createTempDirectory("server-members");
    try (EverythingServer everything = EverythingServer.start(EverythingServer.Mode.STREAMABLE_HTTP, tmp);
        TestGateway gw = TestGateway.startProduction(TestGateway.settings(tmp,
            new GatewaySettings.Database("jdbc:sqlite:" + tmp.resolve("reg.db"), null, null, 4), Map.of()))) {
      String aAdmin = gw.token("ann", "tenant-a", Role.TENANT_ADMIN);
      String bAdmin = gw.token("bob", "tenant-b", Role.TENANT_ADMIN);
      String bUser = gw.token("bea", "tenant-b", Role.USER);
      String platform = gw.platformAdminToken();
      String upstream = json(gw.send("POST", "/gateways", aAdmin, "{\"name\":\"ev-a\",\"transport\":\"streamablehttp\","
          + "\"url\":\"" + everything.url() + "\"}"), 201).get("id").asText();
      json(gw.send("PUT", "/gateways/" + upstream + "/visibility", platform, "{\"visibility\":\"public\"}"), 200);
      String server = json(gw.send("POST", "/servers", bAdmin, "{\"name\":\"b-curated\",\"gateways\":[\"" + upstream
          + "\"]}"), 201).get("id").asText();

      String path = "/servers/" + server + "/mcp";
      HttpResponse<String> init = post(gw, path, bUser, null, "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\","
          + "\"params\":{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\","
          + "\"version\":\"1\"}}}");
      String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
      String echo = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\","
          + "\"arguments\":{\"message\":\"hi\"}}}";
      assertThat(TestGateway.JSON.readTree(post(gw, path, bUser, session, echo).body()).at("/result/content/0/text")
          .asText()).contains("hi");

      json(gw.send("PUT", "/gateways/" + upstream + "/visibility", platform, "{\"visibility\":\"private\"}"), 200);

      JsonNode list = TestGateway.JSON.readTree(post(gw, path, bUser, session,
          "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/list\"}").body());
      assertThat(list.at("/result/tools")).isEmpty();
      JsonNode call = TestGateway.JSON.readTree(post(gw, path, bUser, session, echo).body());
      assertThat(call.at("/error/message").asText()).contains("echo");
      assertThat(call.toString()).doesNotContain("\"hi\"");
    }
  }

  private static HttpResponse<String> post(TestGateway gw, String path, String token, String session, String body)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.base + path)).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
        .header("Authorization", "Bearer " + token).header("MCP-Protocol-Version", "2025-11-25")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (session != null) {
      b.header("Mcp-Session-Id", session);
    }
    return gw.send(b.build());
  }

  private static JsonNode json(HttpResponse<String> r, int status) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    return TestGateway.JSON.readTree(r.body());
  }
}
