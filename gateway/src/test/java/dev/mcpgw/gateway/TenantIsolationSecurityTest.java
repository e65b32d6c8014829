package dev.mcpgw.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgw.gateway.auth.Caller.Role;
import dev.mcpgw.gateway.config.GatewaySettings;
import dev.mcpgw.gateway.testing.EverythingServer;
import dev.mcpgw.gateway.trace.RecordingTracing;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 17, "no tenant isolation at all": tenant A's admin registers an upstream (server-everything), a local prompt
 * with confidential text, a local resource and a virtual server; tenant B's user and admin find none of them by any
 * list, by id, by any MCP method, through the virtual server's endpoint or in {@code /metrics}, and B's admin cannot
 * delete them. Sharing by the platform admin (with B, then public) is what makes B see them. Real gateway, SQLite,
 * real npm server-everything.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenantIsolationSecurityTest {
  private static final String SECRET = "CONFIDENTIAL-A launch plan";

  private Path tmp;
  private RecordingTracing tracing;
  private EverythingServer everything;
  private TestGateway gw;

  private String aAdmin;
  private String aUser;
  private String bAdmin;
  private String bUser;
  private String platform;

  private String gatewayId;
  private String promptId;
  private String resourceId;
  private String serverId;
  private String upstreamPrompt;
  private String upstreamResource;
  private String upstreamTemplate;

  @BeforeAll
  void startAndRegisterTenantAsEntities() throws Exception {
    tmp = Files.createTempDirectory("tenancy");
    tracing = RecordingTracing.start(Map.of("OTEL_METRICS_EXPORTER", "prometheus"));
    everything = EverythingServer.start(EverythingServer.Mode.STREAMABLE_HTTP, tmp);
    GatewaySettings settings = TestGateway.settings(tmp,
        new GatewaySettings.Database("jdbc:sqlite:" + tmp.resolve("reg.db"), null, null, 4), Map.of());
    gw = TestGateway.start(settings, GatewayApplication.Parts.production().withObservability(s -> tracing.observability()));
    aAdmin = gw.token("ann", "tenant-a", Role.TENANT_ADMIN);
    aUser = gw.token("al", "tenant-a", Role.USER);
    bAdmin = gw.token("bob", "tenant-b", Role.TENANT_ADMIN);
    bUser = gw.token("bea", "tenant-b", Role.USER);
    platform = gw.platformAdminToken();

    gatewayId = created(gw.send("POST", "/gateways", aAdmin, "{\"name\":\"everything-a\",\"transport\":\"streamablehttp\","
        + "\"url\":\"" + everything.url() + "\"}")).get("id").asText();
    promptId = created(gw.send("POST", "/prompts", aAdmin, "{\"name\":\"secret-plan\",\"template\":\"" + SECRET
        + " on {{ day }}\",\"arguments\":[{\"name\":\"day\"}]}")).get("id").asText();
    resourceId = created(gw.send("POST", "/resources", aAdmin,
        "{\"uri\":\"docs://a/secret\",\"content\":\"" + SECRET + "\"}")).get("id").asText();
    serverId = created(gw.send("POST", "/servers", aAdmin, "{\"name\":\"a-curated\",\"gateways\":[\"" + gatewayId
        + "\"],\"prompts\":[\"" + promptId + "\"]}")).get("id").asText();

    // what A's own user sees: the positive control that makes every "B sees none" below meaningful
    McpRpc a = new McpRpc(gw, aUser);
    assertThat(names(a.call("tools/list", "{}"), "tools", "name")).contains("everything-a-echo");
    upstreamPrompt = names(a.call("prompts/list", "{}"), "prompts", "name").stream()
        .filter(n -> n.startsWith("everything-a-")).findFirst().orElseThrow();
    upstreamResource = names(a.call("resources/list", "{}"), "resources", "uri").stream()
        .filter(u -> !u.equals("docs://a/secret")).findFirst().orElseThrow();
    upstreamTemplate = names(a.call("resources/templates/list", "{}"), "resourceTemplates", "uriTemplate").get(0);
    assertThat(a.call("prompts/get", "{\"name\":\"secret-plan\",\"arguments\":{\"day\":\"monday\"}}").toString())
        .contains(SECRET);
    assertThat(a.call("tools/call", "{\"name\":\"everything-a-echo\",\"arguments\":{\"message\":\"hi\"}}")
        .at("/result/content/0/text").asText()).contains("hi");
  }

  @AfterAll
  void stop() {
    if (gw != null) {
      gw.close();
    }
    if (everything != null) {
      everything.close();
    }
    tracing.close();
  }

  @Test
  void tenantBsUserAndAdminFindNoneOfTenantAsEntitiesInAnyAdminList() throws Exception {
    for (String token : List.of(bUser, bAdmin)) {
      for (String path : List.of("/gateways", "/tools", "/prompts", "/resources", "/resources/templates", "/servers")) {
        HttpResponse<String> r = gw.send("GET", path, token, null);
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        assertThat(r.body()).as(path).doesNotContain("everything-a", "secret-plan", "docs://a/secret", "a-curated",
            gatewayId, promptId, resourceId, serverId, SECRET);
      }
    }
    // the same lists show them to A's user and to the platform admin
    assertThat(gw.send("GET", "/prompts", aUser, null).body()).contains("secret-plan", "everything-a-");
    assertThat(gw.send("GET", "/servers", platform, null).body()).contains(serverId);
  }

  @Test
  void tenantBsUserAndAdminGetA404ForTenantAsEntitiesById() throws Exception {
    for (String token : List.of(bUser, bAdmin)) {
      assertThat(gw.send("GET", "/gateways/" + gatewayId, token, null).statusCode()).isEqualTo(404);
      assertThat(gw.send("GET", "/servers/" + serverId, token, null).statusCode()).isEqualTo(404);
    }
    HttpResponse<String> hidden = gw.send("GET", "/gateways/" + gatewayId, bAdmin, null);
    HttpResponse<String> unknown = gw.send("GET", "/gateways/no-such-id", bAdmin, null);
    assertThat(hidden.body().replace(gatewayId, "no-such-id")).isEqualTo(unknown.body());
    assertThat(gw.send("GET", "/gateways/" + gatewayId, aUser, null).statusCode()).isEqualTo(200);
    assertThat(gw.send("GET", "/servers/" + serverId, platform, null).statusCode()).isEqualTo(200);
  }

  @Test
  void everyMcpMethodAnswersTenantBAsIfTenantAsEntitiesDidNotExist() throws Exception {
    for (String token : List.of(bUser, bAdmin)) {
      McpRpc b = new McpRpc(gw, token);
      assertThat(b.call("tools/list", "{}").toString()).doesNotContain("everything-a");
      assertThat(b.call("prompts/list", "{}").toString()).doesNotContain("everything-a", "secret-plan");
      assertThat(b.call("resources/list", "{}").toString()).doesNotContain("docs://a/secret", upstreamResource);
      assertThat(b.call("resources/templates/list", "{}").toString()).doesNotContain(upstreamTemplate);

      assertSameAsUnknown(b, "tools/call", "{\"name\":\"%s\",\"arguments\":{\"message\":\"hi\"}}", "everything-a-echo");
      assertSameAsUnknown(b, "prompts/get", "{\"name\":\"%s\",\"arguments\":{\"day\":\"monday\"}}", "secret-plan");
      assertSameAsUnknown(b, "prompts/get", "{\"name\":\"%s\"}", upstreamPrompt);
      assertSameAsUnknown(b, "resources/read", "{\"uri\":\"%s\"}", "docs://a/secret");
      assertSameAsUnknown(b, "resources/read", "{\"uri\":\"%s\"}", upstreamResource);
      assertSameAsUnknown(b, "resources/subscribe", "{\"uri\":\"%s\"}", upstreamResource);
      assertSameAsUnknown(b, "completion/complete",
          "{\"ref\":{\"type\":\"ref/prompt\",\"name\":\"%s\"},\"argument\":{\"name\":\"x\",\"value\":\"\"}}", upstreamPrompt);
      assertSameAsUnknown(b, "completion/complete",
          "{\"ref\":{\"type\":\"ref/resource\",\"uri\":\"%s\"},\"argument\":{\"name\":\"x\",\"value\":\"\"}}",
          upstreamTemplate);
    }
  }

  @Test
  void tenantBCannotReachTenantAsVirtualServerEndpoint() throws Exception {
    for (String token : List.of(bUser, bAdmin)) {
      HttpResponse<String> r = initialize("/servers/" + serverId + "/mcp", token);
      assertThat(r.statusCode()).isEqualTo(404);
      assertThat(r.body()).doesNotContain("a-curated", SECRET);
    }
    assertThat(initialize("/servers/" + serverId + "/mcp", aUser).statusCode()).isEqualTo(200);
  }

  @Test
  void tenantBsAdminReadsOnlyTenantBsSamplesInMetricsAndItsUsersNone() throws Exception {
    new McpRpc(gw, aUser).call("tools/call", "{\"name\":\"everything-a-echo\",\"arguments\":{\"message\":\"m\"}}");
    new McpRpc(gw, bUser).call("tools/call", "{\"name\":\"nope\"}");

    HttpResponse<String> b = gw.send("GET", "/metrics", bAdmin, null);
    assertThat(b.statusCode()).isEqualTo(200);
    // no sample is labelled with a user (labels stay bounded; usage per user is on the spans)
    assertThat(b.body()).contains("tenant_id=\"tenant-b\"", "mcpgw_tool_calls_total{")
        .doesNotContain("tenant-a", "user_id=");
    for (String line : b.body().split("\n")) {
      if (!line.startsWith("#") && !line.isEmpty()) {
        assertThat(line).contains("tenant_id=\"tenant-b\"");
      }
    }
    HttpResponse<String> user = gw.send("GET", "/metrics", bUser, null);
    assertThat(user.statusCode()).isEqualTo(403);
    assertThat(TestGateway.JSON.readTree(user.body()).get("error").asText()).contains("admin");
    assertThat(gw.send("GET", "/metrics", aAdmin, null).body()).contains("tenant_id=\"tenant-a\"")
        .doesNotContain("tenant-b");
    assertThat(gw.send("GET", "/metrics", platform, null).body())
        .contains("tenant_id=\"tenant-a\"", "tenant_id=\"tenant-b\"");
  }

  @Test
  void onlyAPlatformAdminMayRegisterAStdioUpstreamSinceItRunsACommandOnTheHost() throws Exception {
    String body = "{\"name\":\"shell\",\"transport\":\"stdio\",\"command\":\"/bin/sh\",\"args\":[\"-c\",\"id\"]}";
    for (String tenantAdmin : List.of(aAdmin, bAdmin)) {
      HttpResponse<String> refused = gw.send("POST", "/gateways", tenantAdmin, body);

      assertThat(refused.statusCode()).isEqualTo(403);
      assertThat(TestGateway.JSON.readTree(refused.body()).get("field").asText()).isEqualTo("transport");
      assertThat(TestGateway.JSON.readTree(refused.body()).get("error").asText()).contains("platform admin");
    }
    assertThat(gw.send("GET", "/gateways", platform, null).body()).doesNotContain("\"shell\"");
  }

  @Test
  void tenantBsAdminCanNeitherDeleteNorRefreshNorReshareTenantAsEntities() throws Exception {
    assertThat(gw.send("DELETE", "/resources/" + resourceId, bAdmin, null).statusCode()).isEqualTo(404);
    assertThat(gw.send("DELETE", "/prompts/" + promptId, bAdmin, null).statusCode()).isEqualTo(404);
    assertThat(gw.send("DELETE", "/gateways/" + gatewayId, bAdmin, null).statusCode()).isEqualTo(404);
    assertThat(gw.send("POST", "/gateways/" + gatewayId + "/refresh", bAdmin, "{}").statusCode()).isEqualTo(404);
    assertThat(gw.send("DELETE", "/servers/" + serverId, bAdmin, null).statusCode()).isEqualTo(404);
    HttpResponse<String> reshare = gw.send("PUT", "/prompts/" + promptId + "/visibility", aAdmin,
        "{\"visibility\":\"public\"}");
    assertThat(reshare.statusCode()).isEqualTo(403);
    assertThat(TestGateway.JSON.readTree(reshare.body()).get("error").asText()).contains("platform admin");
    HttpResponse<String> createPublic = gw.send("POST", "/resources", aAdmin,
        "{\"uri\":\"docs://a/open\",\"content\":\"x\",\"visibility\":\"public\"}");
    assertThat(createPublic.statusCode()).isEqualTo(403);
    assertThat(TestGateway.JSON.readTree(createPublic.body()).get("error").asText()).contains("platform admin");

    // a public resource of A: B sees it, and may still not delete it
    String open = created(gw.send("POST", "/resources", platform,
        "{\"uri\":\"docs://a/public\",\"content\":\"for all\",\"tenant\":\"tenant-a\",\"visibility\":\"public\"}"))
        .get("id").asText();
    assertThat(new McpRpc(gw, bUser).call("resources/read", "{\"uri\":\"docs://a/public\"}").toString())
        .contains("for all");
    HttpResponse<String> forbidden = gw.send("DELETE", "/resources/" + open, bAdmin, null);
    assertThat(forbidden.statusCode()).isEqualTo(403);
    assertThat(TestGateway.JSON.readTree(forbidden.body()).get("error").asText()).contains("another tenant");

    assertThat(gw.send("GET", "/resources", aUser, null).body()).contains(resourceId, open);
    assertThat(gw.send("DELETE", "/resources/" + open, aAdmin, null).statusCode()).isEqualTo(204);
  }

  @Test
  void aPromptSharedWithTenantBIsSeenByBOnlyAndAPublicOneByEveryTenant() throws Exception {
    String shared = created(gw.send("POST", "/prompts", aAdmin,
        "{\"name\":\"roadmap\",\"template\":\"A's roadmap\"}")).get("id").asText();
    String cUser = gw.token("cy", "tenant-c", Role.USER);
    assertThat(promptText(bUser, "roadmap")).isNull();

    HttpResponse<String> share = gw.send("PUT", "/prompts/" + shared + "/visibility", platform,
        "{\"visibility\":\"shared\",\"sharedWith\":[\"tenant-b\"]}");
    assertThat(share.statusCode()).as(share.body()).isEqualTo(200);
    assertThat(promptText(bUser, "roadmap")).isEqualTo("A's roadmap");
    assertThat(promptText(cUser, "roadmap")).isNull();
    assertThat(gw.send("GET", "/prompts", bAdmin, null).body()).contains("roadmap");

    // B's own prompt of the same name wins over the one shared with it
    created(gw.send("POST", "/prompts", bAdmin, "{\"name\":\"roadmap\",\"template\":\"B's roadmap\"}"));
    assertThat(promptText(bUser, "roadmap")).isEqualTo("B's roadmap");
    assertThat(promptText(aUser, "roadmap")).isEqualTo("A's roadmap");

    assertThat(gw.send("PUT", "/prompts/" + shared + "/visibility", platform, "{\"visibility\":\"public\"}")
        .statusCode()).isEqualTo(200);
    assertThat(promptText(cUser, "roadmap")).isEqualTo("A's roadmap");
    assertThat(promptText(gw.token("dee", "tenant-d", Role.TENANT_ADMIN), "roadmap")).isEqualTo("A's roadmap");
  }

  @Test
  void tenantBsAdminCannotCurateTenantAsEntitiesIntoAServerOfItsOwn() throws Exception {
    HttpResponse<String> hidden = gw.send("POST", "/servers", bAdmin,
        "{\"name\":\"b-steal\",\"gateways\":[\"" + gatewayId + "\"]}");
    HttpResponse<String> unknown = gw.send("POST", "/servers", bAdmin,
        "{\"name\":\"b-steal\",\"gateways\":[\"no-such-id\"]}");
    assertThat(hidden.statusCode()).isEqualTo(400);
    assertThat(hidden.body().replace(gatewayId, "no-such-id")).isEqualTo(unknown.body());
    assertThat(gw.send("POST", "/servers", bAdmin, "{\"name\":\"b-steal\",\"prompts\":[\"" + promptId + "\"]}")
        .statusCode()).isEqualTo(400);
  }

  @Test
  void aVirtualServerSharedWithTenantBGivesBItsCuratedViewAndNoOneElse() throws Exception {
    String shared = created(gw.send("POST", "/servers", aAdmin, "{\"name\":\"a-for-b\",\"gateways\":[\""
        + gatewayId + "\"]}")).get("id").asText();
    try {
      reachThroughASharedServer(shared);
    } finally {
      // the other tests expect B to see nothing of A's
      assertThat(gw.send("DELETE", "/servers/" + shared, aAdmin, null).statusCode()).isEqualTo(204);
    }
  }

  private void reachThroughASharedServer(String shared) throws Exception {
    String cUser = gw.token("cy", "tenant-c", Role.USER);
    assertThat(initialize("/servers/" + shared + "/mcp", bUser).statusCode()).isEqualTo(404);

    assertThat(gw.send("PUT", "/servers/" + shared + "/visibility", aAdmin,
        "{\"visibility\":\"shared\",\"sharedWith\":[\"tenant-b\"]}").statusCode()).isEqualTo(403);
    HttpResponse<String> share = gw.send("PUT", "/servers/" + shared + "/visibility", platform,
        "{\"visibility\":\"shared\",\"sharedWith\":[\"tenant-b\"]}");
    assertThat(share.statusCode()).as(share.body()).isEqualTo(200);
    assertThat(TestGateway.JSON.readTree(share.body()).get("sharedWith")).extracting(JsonNode::asText)
        .containsExactly("tenant-b");

    assertThat(gw.send("GET", "/servers", bUser, null).body()).contains(shared);
    HttpResponse<String> init = initialize("/servers/" + shared + "/mcp", bUser);
    assertThat(init.statusCode()).isEqualTo(200);
    String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
    HttpResponse<String> tools = gw.send(HttpRequest.newBuilder(URI.create(gw.base + "/servers/" + shared + "/mcp"))
        .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
        .header("Accept", "application/json, text/event-stream").header("Authorization", "Bearer " + bUser)
        .header("Mcp-Session-Id", session).header("MCP-Protocol-Version", "2025-11-25")
        .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}"))
        .build());
    assertThat(names(TestGateway.JSON.readTree(tools.body()), "tools", "name")).contains("echo");
    // the server is shared, not the upstream behind it: on /mcp B still sees none of A's tools
    assertThat(new McpRpc(gw, bUser).call("tools/list", "{}").toString()).doesNotContain("everything-a");
    assertThat(initialize("/servers/" + shared + "/mcp", cUser).statusCode()).isEqualTo(404);
  }

  /** The text {@code prompts/get} returns to {@code token} for {@code name}, or null when it is an error. */
  private String promptText(String token, String name) throws Exception {
    JsonNode r = new McpRpc(gw, token).call("prompts/get", "{\"name\":\"" + name + "\"}");
    return r.has("error") ? null : r.at("/result/messages/0/content/text").asText();
  }

  /** B's answer for A's entity equals its answer for a name nobody registered, with the name swapped. */
  private static void assertSameAsUnknown(McpRpc b, String method, String paramsFormat, String hiddenName)
      throws Exception {
    String unknownName = hiddenName.contains("://") ? "docs://nobody/x" : "nobody-registered-this";
    JsonNode hidden = b.call(method, paramsFormat.formatted(hiddenName));
    JsonNode unknown = b.call(method, paramsFormat.formatted(unknownName));
    assertThat(hidden.has("error")).as(method + " " + hiddenName + ": " + hidden).isTrue();
    assertThat(hidden.toString()).doesNotContain(SECRET);
    assertThat(hidden.get("error").toString().replace(hiddenName, unknownName))
        .as(method).isEqualTo(unknown.get("error").toString());
  }

  private HttpResponse<String> initialize(String path, String token) throws Exception {
    return gw.send(HttpRequest.newBuilder(URI.create(gw.base + path)).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
        .header("Authorization", "Bearer " + token)
        .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":"
            + "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}"))
        .build());
  }

  private static JsonNode created(HttpResponse<String> r) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return TestGateway.JSON.readTree(r.body());
  }

  private static List<String> names(JsonNode answer, String field, String key) {
    List<String> out = new ArrayList<>();
    answer.at("/result/" + field).forEach(n -> out.add(n.path(key).asText()));
    return out;
  }
}
