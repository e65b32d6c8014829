package dev.mcpgw.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgw.gateway.auth.Caller.Role;
import dev.mcpgw.gateway.config.GatewaySettings;
import dev.mcpgw.gateway.testing.EverythingServer;
import dev.mcpgw.gateway.testing.HostileUpstream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What still leaked across tenants after tenancy landed, found by attacking it as a user or tenant admin of tenant B
 * with a valid token: each test reproduces one attack end to end (real gateway, SQLite, npm server-everything as
 * tenant A's upstream, a hostile MCP server as tenant B's) and failed before its fix.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenantLeaksSecurityTest {
  /** Per kind, per tenant: high enough for every test here, low enough to reach in one. */
  private static final int QUOTA = 8;
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private Path tmp;
  private EverythingServer everything;
  private HostileUpstream hostile;
  private TestGateway gw;
  private String aAdmin;
  private String aUser;
  private String bAdmin;
  private String bUser;
  private String platform;

  @BeforeAll
  void start() throws Exception {
    tmp = Files.createTempDirectory("tenant-leaks");
    everything = EverythingServer.start(EverythingServer.Mode.STREAMABLE_HTTP, tmp);
    hostile = HostileUpstream.start();
    GatewaySettings settings = TestGateway.settings(tmp,
        new GatewaySettings.Database("jdbc:sqlite:" + tmp.resolve("reg.db"), null, null, 4),
        Map.of("MCPGW_MAX_ENTITIES_PER_TENANT", String.valueOf(QUOTA)));
    gw = TestGateway.startProduction(settings);
    aAdmin = gw.token("ann", "tenant-a", Role.TENANT_ADMIN);
    aUser = gw.token("al", "tenant-a", Role.USER);
    bAdmin = gw.token("bob", "tenant-b", Role.TENANT_ADMIN);
    bUser = gw.token("bea", "tenant-b", Role.USER);
    platform = gw.platformAdminToken();
    created(gw.send("POST", "/gateways", aAdmin, "{\"name\":\"ev-a\",\"transport\":\"streamablehttp\",\"url\":\""
        + everything.url() + "\"}"));
    created(gw.send("POST", "/gateways", bAdmin, "{\"name\":\"evil-b\",\"transport\":\"streamablehttp\",\"url\":\""
        + hostile.url() + "\"}"));
  }

  @AfterAll
  void stop() {
    if (gw != null) {
      gw.close();
    }
    if (hostile != null) {
      hostile.close();
    }
    if (everything != null) {
      everything.close();
    }
  }

  /**
   * Tenant B's admin registers an upstream of its own; while tenant A's user runs a long call with a progress token,
   * B's user calls B's upstream, which forges {@code notifications/progress} for the gateway tokens next to the one it
   * was given. Before the fix the gateway's tokens were a global counter and routed whichever upstream sent them, so
   * B's text arrived on A's call.
   */
  @Test
  void tenantBsUpstreamCannotForgeProgressOnTenantAsCall() throws Exception {
    List<String> aStream = new CopyOnWriteArrayList<>();
    String body = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":"
        + "\"ev-a-trigger-long-running-operation\",\"arguments\":{\"duration\":4,\"steps\":4},"
        + "\"_meta\":{\"progressToken\":\"a-token\"}}}";
    McpRpc a = new McpRpc(gw, aUser);
    CompletableFuture<Void> aCall = HTTP.sendAsync(a.request(body), HttpResponse.BodyHandlers.ofLines())
        .thenAccept(r -> r.body().forEach(aStream::add));
    // A's call is running (its first progress arrived) before B's call is made
    await().atMost(Duration.ofSeconds(20)).until(() -> aStream.stream().anyMatch(l -> l.contains("a-token")));

    JsonNode spoof = new McpRpc(gw, bUser).call("tools/call",
        "{\"name\":\"evil-b-spoof\",\"arguments\":{},\"_meta\":{\"progressToken\":\"b-token\"}}");
    assertThat(spoof.at("/result/content/0/text").asText()).as(spoof.toString()).isEqualTo("spoofed");
    aCall.get(30, java.util.concurrent.TimeUnit.SECONDS);

    String aSaw = String.join("\n", aStream);
    assertThat(aSaw).contains("Long running operation completed", "\"progress\":4");
    assertThat(aSaw).doesNotContain(HostileUpstream.INJECTED);
    // the token B's upstream saw tells it nothing about anyone else's
    assertThat(hostile.seenTokens()).hasSize(1).allSatisfy(t -> assertThat(t).doesNotContain("b-token"));
  }

  /**
   * Tenant A's upstream was public, and B's user set a log level and started the upstream's simulated logging: B's
   * session got an upstream session of its own there, whose log messages reach B's stream. Then the platform admin
   * made the upstream private again. Before the fix that upstream session stayed open until B's session ended, and
   * A's upstream kept talking to B every 5 seconds.
   */
  @Test
  void anUpstreamMadePrivateStopsReachingTheOtherTenantsOpenSessions() throws Exception {
    String gatewayId = gatewayId("ev-a");
    assertThat(gw.send("PUT", "/gateways/" + gatewayId + "/visibility", platform, "{\"visibility\":\"public\"}")
        .statusCode()).isEqualTo(200);
    try {
      McpRpc b = new McpRpc(gw, bUser);
      List<Long> logsAt = new CopyOnWriteArrayList<>();
      CompletableFuture<Void> stream = HTTP.sendAsync(b.stream(), HttpResponse.BodyHandlers.ofLines())
          .thenAccept(r -> r.body().filter(l -> l.contains("notifications/message"))
              .forEach(l -> logsAt.add(System.nanoTime())));
      assertThat(b.call("logging/setLevel", "{\"level\":\"debug\"}").has("result")).isTrue();
      JsonNode toggled = b.call("tools/call", "{\"name\":\"ev-a-toggle-simulated-logging\",\"arguments\":{}}");
      assertThat(toggled.has("result")).as(toggled.toString()).isTrue();
      await().atMost(Duration.ofSeconds(20)).until(() -> !logsAt.isEmpty());

      assertThat(gw.send("PUT", "/gateways/" + gatewayId + "/visibility", platform, "{\"visibility\":\"private\"}")
          .statusCode()).isEqualTo(200);
      assertThat(b.call("tools/list", "{}").toString()).doesNotContain("ev-a-");
      // A's upstream logs every 5 s: once B's session is cut off from it, B hears nothing for longer than that
      await().atMost(Duration.ofSeconds(25)).pollInterval(Duration.ofMillis(500))
          .until(() -> System.nanoTime() - logsAt.get(logsAt.size() - 1) > Duration.ofSeconds(8).toNanos());
      stream.cancel(true);
    } finally {
      gw.send("PUT", "/gateways/" + gatewayId + "/visibility", platform, "{\"visibility\":\"private\"}");
    }
  }

  /**
   * Tenant A's upstream and virtual server are shared with B and with C: B's user reading them learns that they are
   * shared with it, not which other tenants (other customers) they are shared with. Before the fix {@code sharedWith}
   * listed every tenant to everyone who saw the entity.
   */
  @Test
  void aTenantSeesItselfAloneInTheShareListOfAnotherTenantsEntity() throws Exception {
    String gatewayId = gatewayId("ev-a");
    String serverId = created(gw.send("POST", "/servers", aAdmin, "{\"name\":\"a-shared\",\"gateways\":[\""
        + gatewayId + "\"]}")).get("id").asText();
    String share = "{\"visibility\":\"shared\",\"sharedWith\":[\"tenant-b\",\"customer-c\"]}";
    try {
      assertThat(gw.send("PUT", "/gateways/" + gatewayId + "/visibility", platform, share).statusCode()).isEqualTo(200);
      assertThat(gw.send("PUT", "/servers/" + serverId + "/visibility", platform, share).statusCode()).isEqualTo(200);

      for (String path : List.of("/gateways", "/gateways/" + gatewayId, "/servers", "/servers/" + serverId)) {
        HttpResponse<String> r = gw.send("GET", path, bUser, null);
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        assertThat(r.body()).as(path).contains("tenant-b").doesNotContain("customer-c");
      }
      // the owning tenant and the platform admin see the whole list
      assertThat(gw.send("GET", "/gateways/" + gatewayId, aUser, null).body()).contains("tenant-b", "customer-c");
      assertThat(gw.send("GET", "/servers/" + serverId, platform, null).body()).contains("tenant-b", "customer-c");
    } finally {
      gw.send("PUT", "/gateways/" + gatewayId + "/visibility", platform, "{\"visibility\":\"private\"}");
      gw.send("DELETE", "/servers/" + serverId, aAdmin, null);
    }
  }

  /**
   * A tenant admin's prompt template is Jinja: before the fix {@code include}, {@code import} and {@code from} read
   * any resource on the gateway's class path (its packaged configuration, migrations and classes) and
   * {@code prompts/get} returned it. Templates include nothing now.
   */
  @Test
  void aTenantAdminsPromptTemplateCannotReadTheGatewaysOwnFiles() throws Exception {
    String prompt = created(gw.send("POST", "/prompts", bAdmin, "{\"name\":\"peek\",\"template\":"
        + "\"before {% include 'logback.xml' %} {% include 'db/migration/V2__tenancy.sql' %} after\"}"))
        .get("id").asText();
    try {
      JsonNode got = new McpRpc(gw, bUser).call("prompts/get", "{\"name\":\"peek\"}");
      assertThat(got.toString()).doesNotContain("<configuration", "entity_shares", "ALTER TABLE");
      assertThat(got.has("error")).as(got.toString()).isTrue();
      assertThat(got.at("/error/message").asText()).contains("peek").contains("include");
    } finally {
      gw.send("DELETE", "/prompts/" + prompt, bAdmin, null);
    }
  }

  /**
   * A tenant admin's prompt of three nested {@code range(1000)} loops is a billion iterations: before the fix each
   * {@code prompts/get} held a CPU for minutes and the client waited until its own timeout; two of them took the
   * gateway's CPUs from every tenant. Rendering has a budget now, and A's prompts keep rendering meanwhile.
   */
  @Test
  void aTenantAdminsPromptThatLoopsABillionTimesIsStoppedAndOtherTenantsKeepBeingServed() throws Exception {
    String spin = created(gw.send("POST", "/prompts", bAdmin, "{\"name\":\"spin\",\"template\":\"{% for i in "
        + "range(1000) %}{% for j in range(1000) %}{% for k in range(1000) %}{% endfor %}{% endfor %}{% endfor %}\"}"))
        .get("id").asText();
    String mine = created(gw.send("POST", "/prompts", aAdmin, "{\"name\":\"a-hello\",\"template\":\"hello A\"}"))
        .get("id").asText();
    try {
      McpRpc b = new McpRpc(gw, bUser);
      List<CompletableFuture<JsonNode>> spins = IntStream.range(0, 4).mapToObj(i -> CompletableFuture.supplyAsync(() -> {
        try {
          return b.call("prompts/get", "{\"name\":\"spin\"}");
        } catch (Exception e) {
          throw new java.util.concurrent.CompletionException(e);
        }
      })).toList();
      assertThat(new McpRpc(gw, aUser).call("prompts/get", "{\"name\":\"a-hello\"}")
          .at("/result/messages/0/content/text").asText()).isEqualTo("hello A");
      for (CompletableFuture<JsonNode> f : spins) {
        JsonNode answer = f.get(25, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(answer.at("/error/message").asText()).as(answer.toString()).contains("'spin'", "longer than");
      }
    } finally {
      gw.send("DELETE", "/prompts/" + spin, bAdmin, null);
      gw.send("DELETE", "/prompts/" + mine, aAdmin, null);
    }
  }

  /**
   * Before the limit, one tenant's admin created upstreams, prompts, resources and virtual servers without bound; the
   * registry rows and upstream connections of one tenant are read and kept for every tenant. Now the
   * {@code MCPGW_MAX_ENTITIES_PER_TENANT}-th is the last, with an error naming the setting; other tenants and the
   * platform admin keep creating.
   */
  @Test
  void oneTenantsAdminCreatesAtMostTheConfiguredNumberOfEachKindOfEntity() throws Exception {
    String flooder = gw.token("fay", "tenant-flood", Role.TENANT_ADMIN);
    List<String> created = new java.util.ArrayList<>();
    HttpResponse<String> refused = null;
    for (int i = 0; i <= QUOTA && refused == null; i++) {
      HttpResponse<String> r = gw.send("POST", "/resources", flooder,
          "{\"uri\":\"docs://flood/" + i + "\",\"content\":\"" + "x".repeat(1000) + "\"}");
      if (r.statusCode() == 201) {
        created.add(TestGateway.JSON.readTree(r.body()).get("id").asText());
      } else {
        refused = r;
      }
    }
    assertThat(created).hasSize(QUOTA);
    assertThat(refused).isNotNull();
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(TestGateway.JSON.readTree(refused.body()).get("error").asText())
        .contains("tenant-flood", "MCPGW_MAX_ENTITIES_PER_TENANT");
    for (String kind : List.of("/prompts", "/servers")) {
      for (int i = 0; i < QUOTA; i++) {
        String body = kind.equals("/prompts") ? "{\"name\":\"p" + i + "\",\"template\":\"t\"}"
            : "{\"name\":\"flood-" + i + "\"}";
        assertThat(gw.send("POST", kind, flooder, body).statusCode()).as(kind + " " + i).isEqualTo(201);
      }
      assertThat(gw.send("POST", kind, flooder, kind.equals("/prompts") ? "{\"name\":\"one-more\",\"template\":\"t\"}"
          : "{\"name\":\"flood-more\"}").statusCode()).as(kind).isEqualTo(403);
    }
    // another tenant is not affected, nor the operator creating for the full tenant
    String other = created(gw.send("POST", "/resources", aAdmin, "{\"uri\":\"docs://a/fine\",\"content\":\"x\"}"))
        .get("id").asText();
    assertThat(gw.send("POST", "/resources", platform, "{\"uri\":\"docs://flood/op\",\"content\":\"x\","
        + "\"tenant\":\"tenant-flood\"}").statusCode()).isEqualTo(201);
    // the operator's counts too: deleting two makes room for one again
    assertThat(gw.send("DELETE", "/resources/" + created.get(0), flooder, null).statusCode()).isEqualTo(204);
    assertThat(gw.send("POST", "/resources", flooder, "{\"uri\":\"docs://flood/late\",\"content\":\"x\"}")
        .statusCode()).isEqualTo(403);
    assertThat(gw.send("DELETE", "/resources/" + created.get(1), flooder, null).statusCode()).isEqualTo(204);
    assertThat(gw.send("POST", "/resources", flooder, "{\"uri\":\"docs://flood/again\",\"content\":\"x\"}")
        .statusCode()).isEqualTo(201);
    gw.send("DELETE", "/resources/" + other, aAdmin, null);
  }

  /** A share list is bounded and holds tenant ids only: a platform admin's typo cannot store a million rows. */
  @Test
  void aShareListIsBoundedAndCleanedOfDuplicates() throws Exception {
    String prompt = created(gw.send("POST", "/prompts", aAdmin, "{\"name\":\"bounded\",\"template\":\"x\"}"))
        .get("id").asText();
    String huge = IntStream.range(0, 100_000).mapToObj(i -> "\"t" + i + "\"").collect(Collectors.joining(","));
    HttpResponse<String> tooMany = gw.send("PUT", "/prompts/" + prompt + "/visibility", platform,
        "{\"visibility\":\"shared\",\"sharedWith\":[" + huge + "]}");
    assertThat(tooMany.statusCode()).as("a 100,000-tenant share list").isEqualTo(400);
    assertThat(TestGateway.JSON.readTree(tooMany.body()).get("field").asText()).isEqualTo("sharedWith");
    assertThat(tooMany.body()).hasSizeLessThan(1_000);

    HttpResponse<String> blank = gw.send("PUT", "/prompts/" + prompt + "/visibility", platform,
        "{\"visibility\":\"shared\",\"sharedWith\":[\"tenant-b\",\"  \"]}");
    assertThat(blank.statusCode()).isEqualTo(400);
    assertThat(TestGateway.JSON.readTree(blank.body()).get("field").asText()).isEqualTo("sharedWith[1]");

    HttpResponse<String> dupes = gw.send("PUT", "/prompts/" + prompt + "/visibility", platform,
        "{\"visibility\":\"shared\",\"sharedWith\":[\"tenant-b\",\"tenant-b\",\"tenant-c\"]}");
    assertThat(dupes.statusCode()).as(dupes.body()).isEqualTo(200);
    assertThat(TestGateway.JSON.readTree(dupes.body()).get("sharedWith")).extracting(JsonNode::asText)
        .containsExactly("tenant-b", "tenant-c");
    assertThat(gw.send("DELETE", "/prompts/" + prompt, aAdmin, null).statusCode()).isEqualTo(204);
  }

  private String gatewayId(String name) throws Exception {
    for (JsonNode g : TestGateway.JSON.readTree(gw.send("GET", "/gateways", platform, null).body())) {
      if (g.path("name").asText().equals(name)) {
        return g.path("id").asText();
      }
    }
    throw new AssertionError("no upstream " + name);
  }

  private static JsonNode created(HttpResponse<String> r) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return TestGateway.JSON.readTree(r.body());
  }
}
