package dev.mcpgw.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgw.gateway.auth.Caller;
import dev.mcpgw.gateway.config.GatewaySettings;
import dev.mcpgw.gateway.store.PostgresExtension;
import dev.mcpgw.gateway.store.TestDatabases;
import dev.mcpgw.gateway.testing.EverythingServer;
import dev.mcpgw.gateway.testing.FaultyHttpProxy;
import dev.mcpgw.gateway.trace.RecordingTracing;
import dev.mcpgw.gateway.usage.TokenCounter;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 11's "done when" for the usage store, cost and quotas, against real peers: the official TypeScript MCP client
 * calls {@code @modelcontextprotocol/server-everything} through the gateway (production parts, the shipped pricing
 * file) as two users of two tenants; {@code GET /usage} answers per user and per tool with a cost equal to the tokens
 * times the configured price; a quota of 3 calls per minute rejects the fourth call with the JSON-RPC error, and the
 * upstream (behind a recording proxy) never sees it. On SQLite and on PostgreSQL.
 */
@ExtendWith(PostgresExtension.class)
class UsageEndToEndTest {
  private static final Path PRICING = Path.of("..", "config", "pricing.example.yaml").toAbsolutePath().normalize();
  private static final String SECRETS = "password=hunter2 ann@example.com sk-abcdefghijklmnopqrstuvwx";
  private static final TokenCounter TOKENS = TokenCounter.create("o200k_base");

  @TempDir Path tmp;
  private EverythingServer everything;
  private FaultyHttpProxy upstreamSide;
  private RecordingTracing tracing;
  private TestGateway gw;

  @AfterEach
  void stop() {
    for (AutoCloseable c : new AutoCloseable[] {gw, tracing, upstreamSide, everything}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // go on closing the rest
      }
    }
  }

  private void start(TestDatabases dbs, TestDatabases.Kind kind) throws Exception {
    everything = EverythingServer.start(EverythingServer.Mode.STREAMABLE_HTTP, tmp);
    upstreamSide = FaultyHttpProxy.start("http://127.0.0.1:" + everything.port());
    tracing = RecordingTracing.start(Map.of("OTEL_METRICS_EXPORTER", "prometheus"));
    GatewaySettings settings = TestGateway.settings(tmp, dbs.create(kind, tmp),
        Map.of("MCPGW_PRICING_FILE", PRICING.toString(), "MCPGW_USAGE_FLUSH_INTERVAL", "200ms"));
    gw = TestGateway.start(settings, GatewayApplication.Parts.production().withObservability(s -> tracing.observability()));
    gw.post("/gateways", "{\"name\":\"everything\",\"transport\":\"streamablehttp\",\"url\":\""
        + upstreamSide.url(URI.create(everything.url()).getPath()) + "\",\"visibility\":\"public\"}",
        gw.platformAdminToken());
  }

  private JsonNode calls(String token, String tool, String args, int n, String baggage) throws Exception {
    Map<String, String> env = new HashMap<>(Map.of("URL", gw.base + "/mcp", "TOKEN", token, "TOOL", tool, "ARGS", args,
        "CALLS", Integer.toString(n)));
    if (baggage != null) {
      env.put("BAGGAGE", baggage);
    }
    return NodePeers.runScript("usage-client.mjs", env, tmp, Duration.ofSeconds(90)).get("results");
  }

  private static Map<String, JsonNode> groups(JsonNode usage) {
    Map<String, JsonNode> m = new HashMap<>();
    usage.get("groups").forEach(g -> m.put(g.get("key").asText(), g));
    return m;
  }

  private long upstreamToolCalls() {
    return upstreamSide.requests().stream().filter(r -> r.contains("\"tools/call\"")).count();
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void usagePerUserAndPerToolCostsTokensTimesThePriceAndAQuotaRejectsTheFourthCall(TestDatabases.Kind kind,
      TestDatabases dbs) throws Exception {
    start(dbs, kind);
    String alice = gw.token("alice", "acme", Caller.Role.USER);
    String bob = gw.token("bob", "globex", Caller.Role.USER);
    String echoArgs = TestGateway.JSON.createObjectNode().put("message", SECRETS).toString();

    // alice of acme: two echoes (acme's default model, claude-sonnet-4.5); bob of globex: a sum, naming gpt-4o
    JsonNode aliceCalls = calls(alice, "everything-echo", echoArgs, 2, null);
    JsonNode bobCalls = calls(bob, "everything-get-sum", "{\"a\":2,\"b\":40}", 1, "gen_ai.request.model=gpt-4o");
    assertThat(aliceCalls.get(1).at("/ok/content/0/text").asText()).isEqualTo("Echo: " + SECRETS);
    assertThat(bobCalls.get(0).has("ok")).as(bobCalls.toString()).isTrue();

    long echoArgTokens = TOKENS.arguments(TestGateway.JSON.readTree(echoArgs));
    long echoResultTokens = TOKENS.result(aliceCalls.get(0).get("ok"));
    long sumArgTokens = TOKENS.arguments(TestGateway.JSON.readTree("{\"a\":2,\"b\":40}"));
    long sumResultTokens = TOKENS.result(bobCalls.get(0).get("ok"));

    String op = gw.platformAdminToken();
    await().atMost(Duration.ofSeconds(30)).until(() -> groups(gw.get("/usage?groupBy=user", op)).size() == 2);
    Map<String, JsonNode> users = groups(gw.get("/usage?groupBy=user", op));
    JsonNode a = users.get("alice");
    assertThat(a.get("calls").asLong()).isEqualTo(2);
    assertThat(a.get("errors").asLong()).isZero();
    assertThat(a.get("argumentsTokens").asLong()).isEqualTo(2 * echoArgTokens);
    assertThat(a.get("resultTokens").asLong()).isEqualTo(2 * echoResultTokens);
    // claude-sonnet-4.5: 3.00 per million input (the result), 15.00 per million output (the arguments)
    assertThat(a.get("cost").asDouble()).isCloseTo(2 * (echoArgTokens * 15e-6 + echoResultTokens * 3e-6), within(1e-8));
    assertThat(a.get("currency").asText()).isEqualTo("USD");
    assertThat(a.get("p50Ms").asDouble()).isPositive();
    assertThat(a.get("p95Ms").asDouble()).isGreaterThanOrEqualTo(a.get("p50Ms").asDouble());
    JsonNode b = users.get("bob");
    // gpt-4o from the request's baggage: 2.50 input, 10.00 output
    assertThat(b.get("cost").asDouble()).isCloseTo(sumArgTokens * 10e-6 + sumResultTokens * 2.5e-6, within(1e-8));

    Map<String, JsonNode> tools = groups(gw.get("/usage?groupBy=tool", op));
    assertThat(tools).containsOnlyKeys("everything-echo", "everything-get-sum");
    assertThat(tools.get("everything-echo").get("resultTokens").asLong()).isEqualTo(2 * echoResultTokens);
    assertThat(groups(gw.get("/usage?groupBy=model", op))).containsOnlyKeys("claude-sonnet-4.5", "gpt-4o");
    assertThat(groups(gw.get("/usage?groupBy=tenant", op))).containsOnlyKeys("acme", "globex");

    // each user sees only their own calls; another tenant's admin sees none of acme's
    assertThat(groups(gw.get("/usage?groupBy=user", alice))).containsOnlyKeys("alice");
    assertThat(groups(gw.get("/usage?groupBy=tool", gw.token("root", "globex", Caller.Role.TENANT_ADMIN))))
        .containsOnlyKeys("everything-get-sum");

    // the cost is on the tools/call span too
    SpanData echoSpan = tracing.await(s -> s.getName().equals("tools/call everything-echo")
        && s.getAttributes().get(AttributeKey.doubleKey("mcpgw.usage.cost")) != null);
    assertThat(echoSpan.getAttributes().get(AttributeKey.doubleKey("mcpgw.usage.cost")))
        .isCloseTo(echoArgTokens * 15e-6 + echoResultTokens * 3e-6, within(1e-9));

    // a quota of 3 calls per minute for carol of acme (who has made no call yet), started early enough in a minute
    // that all four calls fall in one window
    String carol = gw.token("carol", "acme", Caller.Role.USER);
    HttpResponse<String> created = gw.send("POST", "/quotas", gw.token("root", "acme", Caller.Role.TENANT_ADMIN),
        "{\"tenant\":\"acme\",\"user\":\"carol\",\"metric\":\"calls\",\"limit\":3,\"window\":\"minute\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String quotaId = TestGateway.JSON.readTree(created.body()).get("id").asText();
    await().atMost(Duration.ofSeconds(70)).pollInterval(Duration.ofMillis(200))
        .until(() -> LocalTime.now(ZoneOffset.UTC).getSecond() < 45);
    long before = upstreamToolCalls();

    JsonNode four = calls(carol, "everything-echo", "{\"message\":\"hi\"}", 4, null);

    assertThat(four.get(2).has("ok")).as(four.toString()).isTrue();
    JsonNode error = four.get(3).get("error");
    assertThat(error).as(four.toString()).isNotNull();
    assertThat(error.get("code").asInt()).isEqualTo(-32040);
    assertThat(error.get("message").asText()).contains(quotaId, "3 calls per minute", "resets at");
    assertThat(error.at("/data/quota").asText()).isEqualTo(quotaId);
    assertThat(error.at("/data/limit").asLong()).isEqualTo(3);
    assertThat(error.at("/data/used").asLong()).isEqualTo(3);
    assertThat(error.at("/data/resetsAt").asText()).endsWith(":00Z");
    assertThat(upstreamToolCalls() - before).as("the upstream saw the three admitted calls only").isEqualTo(3);

    JsonNode quotas = gw.get("/quotas", carol).get("quotas");
    assertThat(quotas).hasSize(1);
    assertThat(quotas.get(0).get("used").asLong()).isEqualTo(3);
    assertThat(quotas.get(0).get("utilization").asDouble()).isEqualTo(1.0);
    // bob of globex is not limited by acme's quota
    assertThat(calls(bob, "everything-echo", "{\"message\":\"hi\"}", 1, null).get(0).has("ok")).isTrue();

    // secrets in arguments never reach the usage store: it stores no payloads
    String metrics = gw.send("GET", "/metrics", op, null).body();
    assertThat(metrics).contains("mcpgw_usage_calls", "mcpgw_quota_rejections", "mcpgw_quota_utilization")
        .doesNotContain("alice").doesNotContain("hunter2");
  }
}
