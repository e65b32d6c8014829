package dev.mcpgw.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgw.gateway.auth.Caller;
import dev.mcpgw.gateway.testing.EverythingServer;
import dev.mcpgw.gateway.testing.FaultyHttpProxy;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Issue 18 point 3, ADR 0018: an upstream registered with {@code "credentials": "per-user"} is called with each
 * caller's own stored headers, on an upstream session of that caller's own; never with the registration's headers or
 * another user's, and a caller without a credential is told where to store one. Recorded by a proxy in front of a
 * real server-everything.
 */
class UpstreamCredentialsSecurityTest {
  private static final String JWT_SECRET = "gateway-jwt-secret-0123456789-abcdefghijklmnop";
  private static final String ALICE_PAT = "Bearer alice-personal-token-1111";
  private static final String BOB_PAT = "Bearer bob-personal-token-2222";
  private static final String REGISTRATION_KEY = "registration-key-for-discovery";

  @TempDir Path tmp;
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private EverythingServer everything;
  private FaultyHttpProxy recorder;
  private StoreGateway store;
  private TestGateway gw;
  private String id;

  @BeforeEach
  void start() throws Exception {
    logs.start();
    root.addAppender(logs);
    everything = EverythingServer.start(EverythingServer.Mode.STREAMABLE_HTTP, tmp);
    recorder = FaultyHttpProxy.start("http://127.0.0.1:" + everything.port());
    // every span stored (the embedded span store, 100 % sampling), to look for credentials in them
    store = StoreGateway.start(tmp, Map.of("MCPGW_JWT_SECRET", JWT_SECRET));
    gw = store.gw;
    // an admin of acme registers it, private to acme; the registration's header serves discovery only
    JsonNode registered = gw.post("/gateways", "{\"name\":\"gh\",\"transport\":\"streamablehttp\",\"url\":\""
        + recorder.url("/mcp") + "\",\"credentials\":\"per-user\",\"headers\":{\"X-Upstream-Key\":\""
        + REGISTRATION_KEY + "\"}}");
    id = registered.get("id").asText();
    assertThat(registered.get("credentials").asText()).isEqualTo("per-user");
  }

  @AfterEach
  void stop() {
    root.detachAppender(logs);
    if (store != null) {
      store.close();
    }
    if (recorder != null) {
      recorder.close();
    }
    if (everything != null) {
      everything.close();
    }
  }

  @Test
  void eachUserCallsThePerUserUpstreamWithTheirOwnHeadersNeverAnothersNorTheRegistrations() throws Exception {
    String alice = gw.token("alice", "acme", Caller.Role.USER);
    String bob = gw.token("bob", "acme", Caller.Role.USER);
    // alice declares roots (an upstream session of her client's own), bob nothing (the session of his user)
    String aliceSession = initialize(alice, true);
    String bobSession = initialize(bob, false);

    JsonNode refused = echo(alice, aliceSession, "before-storing");
    assertThat(refused.at("/error/code").asInt()).as(refused.toString()).isEqualTo(-32600);
    assertThat(refused.at("/error/message").asText()).contains("PUT /gateways/" + id + "/credentials/me");
    assertThat(refused.at("/error/data/endpoint").asText()).isEqualTo("/gateways/" + id + "/credentials/me");

    HttpResponse<String> stored = gw.send("PUT", "/gateways/" + id + "/credentials/me", alice,
        "{\"headers\":{\"Authorization\":\"" + ALICE_PAT + "\"}}");
    assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
    assertThat(stored.body()).doesNotContain("alice-personal-token").contains("\"Authorization\":\"****\"");
    assertThat(gw.send("PUT", "/gateways/" + id + "/credentials/me", bob,
        "{\"headers\":{\"Authorization\":\"" + BOB_PAT + "\"}}").statusCode()).isEqualTo(200);
    JsonNode shown = gw.get("/gateways/" + id + "/credentials/me", alice);
    assertThat(shown.get("set").asBoolean()).isTrue();
    assertThat(shown.at("/headers/Authorization").asText()).isEqualTo("****");
    assertThat(shown.toString()).doesNotContain("alice-personal-token");

    assertThat(echo(alice, aliceSession, "from-alice").at("/result/content/0/text").asText())
        .isEqualTo("Echo: from-alice");
    assertThat(echo(bob, bobSession, "from-bob").at("/result/content/0/text").asText()).isEqualTo("Echo: from-bob");
    // a second session of bob's shares his user's upstream session
    String bobSecond = initialize(bob, false);
    assertThat(echo(bob, bobSecond, "from-bob-again").at("/result/content/0/text").asText())
        .isEqualTo("Echo: from-bob-again");

    List<FaultyHttpProxy.Recorded> seen = recorder.recorded();
    assertThat(calls(seen, "from-alice")).isNotEmpty().allSatisfy(r -> {
      assertThat(r.header("Authorization")).isEqualTo(ALICE_PAT);
      assertThat(r.header("X-Upstream-Key")).isNull();
    });
    assertThat(calls(seen, "from-bob")).hasSize(2).allSatisfy(r -> {
      assertThat(r.header("Authorization")).isEqualTo(BOB_PAT);
      assertThat(r.header("X-Upstream-Key")).isNull();
    });
    // every upstream session carries one credential only: the registration's, alice's or bob's, never mixed
    Map<String, List<String>> credentialsPerSession = seen.stream()
        .filter(r -> r.header("Mcp-Session-Id") != null)
        .collect(java.util.stream.Collectors.groupingBy(r -> r.header("Mcp-Session-Id"),
            java.util.stream.Collectors.mapping(r -> String.valueOf(r.header("Authorization")) + "|"
                + r.header("X-Upstream-Key"), java.util.stream.Collectors.toList())));
    assertThat(credentialsPerSession.values()).allSatisfy(v -> assertThat(v.stream().distinct()).hasSize(1));
    // discovery at registration used the registration's header, and no client token reached the upstream
    assertThat(seen.get(0).header("X-Upstream-Key")).isEqualTo(REGISTRATION_KEY);
    assertThat(seen).allSatisfy(r -> assertThat(String.valueOf(r.header("Authorization")))
        .doesNotContain(alice.substring(20)).doesNotContain(bob.substring(20)));

    // no credential in a span: the call's trace holds the upstream CLIENT span, and nothing of alice's token
    String trace = gw.get("/observability/traces/" + store.awaitTrace("req-from-alice"), gw.platformAdminToken())
        .toString();
    assertThat(trace).contains("gh").doesNotContain("alice-personal-token").doesNotContain("bob-personal-token");
    // no credential in a log line, nor in plaintext in the database (spans included)
    assertThat(logs.list).allSatisfy(e -> assertThat(e.getFormattedMessage())
        .doesNotContain("alice-personal-token").doesNotContain("bob-personal-token"));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      for (Path file : List.of(tmp.resolve("reg.db"), tmp.resolve("reg.db-wal"))) {
        if (Files.exists(file)) {
          String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
          assertThat(bytes).doesNotContain("alice-personal-token").doesNotContain("bob-personal-token");
        }
      }
    });
  }

  @Test
  void revokingACredentialClosesThatUsersUpstreamSessionAndTheirNextCallIsRefused() throws Exception {
    String alice = gw.token("alice", "acme", Caller.Role.USER);
    String bob = gw.token("bob", "acme", Caller.Role.USER);
    String acmeAdmin = gw.token("root", "acme", Caller.Role.TENANT_ADMIN);
    gw.send("PUT", "/gateways/" + id + "/credentials/me", alice, "{\"headers\":{\"Authorization\":\"" + ALICE_PAT
        + "\"}}");
    gw.send("PUT", "/gateways/" + id + "/credentials/me", bob, "{\"headers\":{\"Authorization\":\"" + BOB_PAT
        + "\"}}");
    String aliceSession = initialize(alice, false);
    String bobSession = initialize(bob, true);
    assertThat(echo(alice, aliceSession, "a1").at("/result/content/0/text").asText()).isEqualTo("Echo: a1");
    assertThat(echo(bob, bobSession, "b1").at("/result/content/0/text").asText()).isEqualTo("Echo: b1");
    String aliceUpstreamSession = calls(recorder.recorded(), "\"a1\"").get(0).header("Mcp-Session-Id");
    String bobUpstreamSession = calls(recorder.recorded(), "\"b1\"").get(0).header("Mcp-Session-Id");

    // bob (a user) may not delete alice's; the admin of their tenant may
    assertThat(gw.send("DELETE", "/gateways/" + id + "/credentials/alice", bob, null).statusCode()).isEqualTo(403);
    assertThat(gw.send("DELETE", "/gateways/" + id + "/credentials/alice", acmeAdmin, null).statusCode())
        .isEqualTo(204);
    // her upstream session is ended at the upstream (DELETE of its session), bob's is not
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(recorder.recorded())
        .anySatisfy(r -> {
          assertThat(r.request()).startsWith("DELETE ");
          assertThat(r.header("Mcp-Session-Id")).isEqualTo(aliceUpstreamSession);
        }));
    assertThat(recorder.recorded()).noneSatisfy(r -> {
      assertThat(r.request()).startsWith("DELETE ");
      assertThat(r.header("Mcp-Session-Id")).isEqualTo(bobUpstreamSession);
    });
    assertThat(gw.get("/gateways/" + id + "/credentials/me", alice).get("set").asBoolean()).isFalse();
    assertThat(echo(alice, aliceSession, "a2").at("/error/data/kind").asText()).isEqualTo("CREDENTIAL_REQUIRED");
    assertThat(echo(bob, bobSession, "b2").at("/result/content/0/text").asText()).isEqualTo("Echo: b2");

    // bob replaces his: the next call carries the new one, on a new upstream session
    gw.send("PUT", "/gateways/" + id + "/credentials/me", bob, "{\"headers\":{\"Authorization\":\"Bearer bob-new\"}}");
    assertThat(echo(bob, bobSession, "b3").at("/result/content/0/text").asText()).isEqualTo("Echo: b3");
    assertThat(calls(recorder.recorded(), "\"b3\"")).singleElement().satisfies(r -> {
      assertThat(r.header("Authorization")).isEqualTo("Bearer bob-new");
      assertThat(r.header("Mcp-Session-Id")).isNotEqualTo(bobUpstreamSession);
    });
    // and deletes it himself
    assertThat(gw.send("DELETE", "/gateways/" + id + "/credentials/me", bob, null).statusCode()).isEqualTo(204);
    assertThat(echo(bob, bobSession, "b4").at("/error/data/kind").asText()).isEqualTo("CREDENTIAL_REQUIRED");
  }

  @Test
  void aUserOfAnotherTenantCannotStoreSeeOrDeleteCredentialsOfAnUpstreamItDoesNotSee() throws Exception {
    String alice = gw.token("alice", "acme", Caller.Role.USER);
    gw.send("PUT", "/gateways/" + id + "/credentials/me", alice, "{\"headers\":{\"Authorization\":\"" + ALICE_PAT
        + "\"}}");
    String carol = gw.token("carol", "globex", Caller.Role.USER);
    String globexAdmin = gw.token("boss", "globex", Caller.Role.TENANT_ADMIN);
    String base = "/gateways/" + id + "/credentials/";
    assertThat(gw.send("PUT", base + "me", carol, "{\"headers\":{\"Authorization\":\"Bearer x\"}}").statusCode())
        .isEqualTo(404);
    assertThat(gw.send("GET", base + "me", carol, null).statusCode()).isEqualTo(404);
    assertThat(gw.send("DELETE", base + "me", carol, null).statusCode()).isEqualTo(404);
    assertThat(gw.send("DELETE", base + "alice", globexAdmin, null).statusCode()).isEqualTo(404);
    HttpResponse<String> otherTenant = gw.send("DELETE", base + "alice?tenant=acme", globexAdmin, null);
    assertThat(otherTenant.statusCode()).isEqualTo(403);
    assertThat(gw.get(base + "me", alice).get("set").asBoolean()).isTrue();
    // a tool of an upstream it does not see does not exist for it
    String carolSession = initialize(carol, false);
    assertThat(echo(carol, carolSession, "c1").at("/error/message").asText()).doesNotContain(id);
  }

  @Test
  void aCredentialIsRefusedForAnUpstreamWithSharedCredentialsAndInvalidHeadersAreRefusedWithoutEchoingThem()
      throws Exception {
    JsonNode shared = gw.post("/gateways", "{\"name\":\"plain\",\"transport\":\"streamablehttp\",\"url\":\""
        + recorder.url("/mcp") + "\"}");
    assertThat(shared.get("credentials").asText()).isEqualTo("shared");
    String alice = gw.token("alice", "acme", Caller.Role.USER);
    assertThat(gw.send("PUT", "/gateways/" + shared.get("id").asText() + "/credentials/me", alice,
        "{\"headers\":{\"Authorization\":\"Bearer x\"}}").statusCode()).isEqualTo(409);
    HttpResponse<String> bad = gw.send("PUT", "/gateways/" + id + "/credentials/me", alice,
        "{\"headers\":{\"Authorization\":\"Bearer secret-value\\r\\nX-Injected: 1\"}}");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).doesNotContain("secret-value");
    assertThat(gw.send("PUT", "/gateways/" + id + "/credentials/me", alice, "{\"headers\":{\"Host\":\"evil\"}}")
        .statusCode()).isEqualTo(400);
    assertThat(gw.send("PUT", "/gateways/" + id + "/credentials/me", alice, "{\"headers\":{}}").statusCode())
        .isEqualTo(400);
    HttpResponse<String> stdio = gw.send("POST", "/gateways", gw.platformAdminToken(), "{\"name\":\"s\","
        + "\"transport\":\"stdio\",\"command\":\"true\",\"credentials\":\"per-user\"}");
    assertThat(stdio.statusCode()).as(stdio.body()).isEqualTo(400);
    assertThat(stdio.body()).contains("credentials");
  }

  private List<FaultyHttpProxy.Recorded> calls(List<FaultyHttpProxy.Recorded> seen, String marker) {
    return seen.stream().filter(r -> r.request().startsWith("POST ") && r.request().contains("tools/call")
        && r.request().contains(marker)).toList();
  }

  private String initialize(String token, boolean roots) throws Exception {
    HttpResponse<String> init = gw.send(request(token, null, "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\","
        + "\"params\":{\"protocolVersion\":\"2025-11-25\",\"capabilities\":" + (roots ? "{\"roots\":{}}" : "{}")
        + ",\"clientInfo\":{\"name\":\"c\",\"version\":\"1\"}}}"));
    assertThat(init.statusCode()).as(init.body()).isEqualTo(200);
    String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
    gw.send(request(token, session, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}"));
    return session;
  }

  private JsonNode echo(String token, String session, String message) throws Exception {
    HttpRequest call = HttpRequest.newBuilder(request(token, session, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":"
        + "\"tools/call\",\"params\":{\"name\":\"gh-echo\",\"arguments\":{\"message\":\"" + message + "\"}}}"),
        (name, value) -> true).header("X-Request-ID", "req-" + message).build();
    HttpResponse<String> r = gw.send(call);
    return TestGateway.JSON.readTree(r.body());
  }

  private HttpRequest request(String token, String session, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.base + "/mcp")).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
        .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(body));
    if (session != null) {
      b.header("Mcp-Session-Id", session);
    }
    return b.build();
  }
}
