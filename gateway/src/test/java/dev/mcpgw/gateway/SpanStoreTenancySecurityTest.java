package dev.mcpgw.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgw.gateway.auth.Caller;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stored spans belong to a tenant (ADR 0014): a user or admin of tenant B gets none of tenant A's traces, by list,
 * filter, id, OTLP export or stats; a platform admin sees both.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SpanStoreTenancySecurityTest {
  @TempDir static Path tmp;
  private StoreGateway store;
  private String acmeTrace;
  private String acmeRun;
  private String globexTrace;
  private String bob;
  private String globexAdmin;

  @BeforeAll
  void start() throws Exception {
    store = StoreGateway.start(tmp, Map.of());
    String alice = store.gw.token("alice", "acme", Caller.Role.USER);
    bob = store.gw.token("bob", "globex", Caller.Role.USER);
    globexAdmin = store.gw.token("gadmin", "globex", Caller.Role.TENANT_ADMIN);
    store.callTool(alice, "demo-echo", "{\"message\":\"acme secret\"}", "acme-req");
    acmeTrace = store.awaitTrace("acme-req");
    store.callTool(bob, "demo-add", "{\"a\":1,\"b\":2}", "globex-req");
    globexTrace = store.awaitTrace("globex-req");
    acmeRun = store.agentRun(alice, "demo-echo", "{\"message\":\"acme run\"}", "acme-run-1", "acme-run-2");
    // bob calls within acme's run (he sends its traceparent): a globex line of that trace, found by his request id
    String traceparent = "00-" + acmeRun + "-00f067aa0ba902b7-01";
    store.callTool(bob, "demo-add", "{\"a\":1,\"b\":2}", "globex-in-run", traceparent);
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
        .until(() -> ids("?requestId=globex-in-run", bob).contains(acmeRun)
            && store.gw.get("/observability/stats?groupBy=upstream", bob).at("/groups/0/calls").asLong() == 2);
  }

  @AfterAll
  void stop() {
    store.close();
  }

  private List<String> ids(String query, String token) throws Exception {
    List<String> ids = new ArrayList<>();
    store.gw.get("/observability/traces" + query, token).path("traces")
        .forEach(t -> ids.add(t.path("traceId").asText()));
    return ids;
  }

  @Test
  void aUserOfTenantBListsNoneOfTenantAsTraces() throws Exception {
    for (String token : List.of(bob, globexAdmin)) {
      assertThat(ids("", token)).contains(globexTrace).doesNotContain(acmeTrace);
      assertThat(ids("?requestId=acme-req", token)).isEmpty();
      assertThat(ids("?traceId=" + acmeTrace, token)).isEmpty();
      assertThat(ids("?tenant=acme", token)).isEmpty();
      assertThat(ids("?user=alice", token)).isEmpty();
      assertThat(ids("?tool=demo-echo", token)).isEmpty();
      store.gw.get("/observability/traces", token).path("traces")
          .forEach(t -> assertThat(t.path("tenant").asText()).isEqualTo("globex"));
    }
  }

  @Test
  void aUserOfTenantBFindsNoCallOfTenantAsAgentRunByItsRequestId() throws Exception {
    for (String token : List.of(bob, globexAdmin)) {
      assertThat(ids("?requestId=acme-run-1", token)).isEmpty();
      assertThat(ids("?requestId=acme-run-2", token)).isEmpty();
      assertThat(ids("?requestId=acme-run-2&traceId=" + acmeRun, token)).isEmpty();
    }
    // the same filter finds it for acme and for a platform admin: the empty answers above are the scope's
    String alice = store.gw.token("alice", "acme", Caller.Role.USER);
    assertThat(ids("?requestId=acme-run-2", alice)).containsExactly(acmeRun);
    assertThat(ids("?requestId=acme-run-2", store.gw.platformAdminToken())).containsExactly(acmeRun);
  }

  @Test
  void aUserOfTenantBWhoReusesTenantAsTraceIdGetsALineOfHisOwnAndAddsNothingToTenantAs() throws Exception {
    // his own line of that trace: his request id finds it, acme's do not, and it shows nothing of acme's
    assertThat(ids("?requestId=acme-run-2", bob)).isEmpty();
    JsonNode line = store.gw.get("/observability/traces?requestId=globex-in-run", bob).path("traces").get(0);
    assertThat(line.path("tenant").asText()).isEqualTo("globex");
    assertThat(line.toString()).doesNotContain("acme-run", "alice");
    assertThat(store.gw.get("/observability/traces/" + acmeRun, bob).toString()).doesNotContain("alice", "acme run");
    // and acme finds none of bob's: not by his request id, not a span of his in its trace
    String alice = store.gw.token("alice", "acme", Caller.Role.USER);
    assertThat(ids("?requestId=globex-in-run", alice)).isEmpty();
    assertThat(store.gw.get("/observability/traces/" + acmeRun, alice).toString())
        .doesNotContain("globex", "bob", "demo-add");
  }

  @Test
  void aUserOfTenantBGetsTheUnknownTrace404ForTenantAsTraceInEitherFormat() throws Exception {
    for (String suffix : List.of("", "?format=otlp")) {
      var mine = store.gw.send("GET", "/observability/traces/" + acmeTrace + suffix, bob, null);
      var unknown = store.gw.send("GET", "/observability/traces/" + "f".repeat(32) + suffix, bob, null);
      assertThat(mine.statusCode()).isEqualTo(404);
      assertThat(mine.body()).doesNotContain("acme", "alice", "secret")
          .isEqualTo(unknown.body().replace("f".repeat(32), acmeTrace));
    }
  }

  @Test
  void tenantBsOwnTraceShowsOnlyItsOwnSpans() throws Exception {
    JsonNode trace = store.gw.get("/observability/traces/" + globexTrace, bob);
    assertThat(trace.path("spans").size()).isGreaterThanOrEqualTo(4);
    assertThat(trace.toString()).doesNotContain("alice", "acme");
  }

  @Test
  void statsOfTenantBCountOnlyTenantBsCallsAndHideTheStoresHealth() throws Exception {
    JsonNode stats = store.gw.get("/observability/stats?groupBy=tool", bob);
    assertThat(groupKeys(stats)).containsExactly("demo-add");
    assertThat(stats.has("store")).isFalse();
    JsonNode upstreams = store.gw.get("/observability/stats?groupBy=upstream", bob);
    assertThat(upstreams.at("/groups/0/calls").asLong()).as("bob's two calls").isEqualTo(2);
  }

  @Test
  void statsOverTimeOfTenantBHoldOnlyTenantBsCalls() throws Exception {
    JsonNode stats = store.gw.get("/observability/stats?groupBy=tool&window=1h&bucket=1m", bob);
    assertThat(groupKeys(stats)).containsExactly("demo-add");
    long calls = 0;
    for (JsonNode point : stats.at("/groups/0/series")) {
      calls += point.path("calls").asLong();
    }
    assertThat(calls).as("bob's two calls").isEqualTo(2);
    assertThat(stats.toString()).doesNotContain("acme", "alice");
  }

  @Test
  void aPlatformAdminSeesEveryTenantsTraces() throws Exception {
    String op = store.gw.platformAdminToken();
    assertThat(ids("", op)).contains(acmeTrace, globexTrace);
    assertThat(store.gw.get("/observability/traces/" + acmeTrace, op).path("spans").size()).isGreaterThanOrEqualTo(4);
  }

  /** The keys of the groups of a {@code /observability/stats} answer, in its order. */
  private static List<String> groupKeys(JsonNode stats) {
    List<String> keys = new ArrayList<>();
    stats.path("groups").forEach(g -> keys.add(g.path("key").asText()));
    return keys;
  }
}
