package dev.mcpgw.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgw.gateway.auth.Caller;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's usage page over HTTP against a real gateway (the demo upstream, the shipped pricing file): usage per
 * tool and user with tokens and cost, the charts, the quotas with their utilisation, in the caller's scope (as
 * {@code GET /usage}), a user name that is markup rendered as text; and the API's time buckets behind the charts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UsagePageTest {
  static final String XSS = "<img src=x onerror=alert(1)>";
  static final String XSS_TEXT = "&lt;img src=x onerror=alert(1)&gt;";
  static final Path PRICING = Path.of("..", "config", "pricing.example.yaml").toAbsolutePath().normalize();
  @TempDir static Path tmp;
  private StoreGateway store;
  private String alice;
  private String mallory;
  private String acmeAdmin;
  private String bob;

  @BeforeAll
  void start() throws Exception {
    store = StoreGateway.start(tmp, Map.of("MCPGW_USAGE_FLUSH_INTERVAL", "100ms",
        "MCPGW_PRICING_FILE", PRICING.toString()));
    alice = store.gw.token("alice", "acme", Caller.Role.USER);
    mallory = store.gw.token(XSS, "acme", Caller.Role.USER);
    acmeAdmin = store.gw.token("ada", "acme", Caller.Role.TENANT_ADMIN);
    bob = store.gw.token("bob", "globex", Caller.Role.USER);
    store.gw.post("/quotas", "{\"user\":\"alice\",\"metric\":\"calls\",\"limit\":2,\"window\":\"day\"}", acmeAdmin);
    store.gw.post("/quotas", "{\"user\":" + json(XSS) + ",\"metric\":\"calls\",\"limit\":100,\"window\":\"day\"}",
        acmeAdmin);
    for (int i = 0; i < 2; i++) {
      assertThat(store.callTool(alice, "demo-echo", "{\"message\":\"usage page " + i + "\"}", null).statusCode())
          .isEqualTo(200);
    }
    store.callTool(mallory, "demo-echo", "{\"message\":\"hi\"}", null);
    store.callTool(bob, "demo-add", "{\"a\":1,\"b\":2}", null);
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> store.gw
        .get("/usage?groupBy=user", store.gw.platformAdminToken()).path("groups").size() == 3);
  }

  @AfterAll
  void stop() {
    store.close();
  }

  @Test
  void aTenantAdminSeesEachUserOfItsTenantWithTheNumbersOfTheUsageApiAndTheQuotaNearItsLimitHighlighted()
      throws Exception {
    String body = page("/console/usage?groupBy=user&range=1h", acmeAdmin);
    JsonNode api = store.gw.get("/usage?groupBy=user", acmeAdmin);
    assertThat(api.path("groups")).hasSize(2);
    for (JsonNode g : api.path("groups")) {
      String row = row(body, "data-key=\"" + escape(g.path("key").asText()) + "\"");
      assertThat(row).contains("<td class=\"num\">" + g.path("calls").asLong() + "</td>",
          "<td class=\"num\">" + g.path("argumentsTokens").asLong() + "</td>",
          "<td class=\"num\">" + g.path("resultTokens").asLong() + "</td>", "<td>USD</td>");
      assertThat(g.path("cost").asDouble()).isPositive();
    }
    assertThat(row(body, "data-key=\"alice\"")).contains("<td class=\"num\">2</td>");
    assertThat(body).doesNotContain("data-key=\"bob\"", "globex");
    // alice used 2 of 2 calls: 100 %, highlighted; the other quota (1 of 100) is not
    String aliceQuota = row(body, "<td>alice</td><td>calls</td>");
    assertThat(aliceQuota).contains("class=\"near-limit\"", "data-utilization=\"1.0000\"", "100.0 %");
    assertThat(row(body, "<td>" + XSS_TEXT + "</td><td>calls")).contains("class=\"ok\"", "1.0 %");
    // the charts of calls and cost per minute, a point for the minute with calls
    assertThat(body).contains("<svg id=\"usage-charts-calls\"", "<svg id=\"usage-charts-cost\"", "Calls per minute",
        "<circle class=\"series-0\"");
  }

  @Test
  void aUserOfTenantBSeesNoneOfTenantAsRowsOrQuotasEvenWhenAskingForTenantA() throws Exception {
    String own = page("/console/usage?groupBy=tool&range=24h", bob);
    assertThat(own).contains("data-key=\"demo-add\"").doesNotContain("demo-echo", "alice", "acme", XSS_TEXT)
        .contains("id=\"no-quotas\"");
    String asked = page("/console/usage?groupBy=user&tenant=acme", bob);
    assertThat(asked).contains("only a platform admin reads the usage of another tenant")
        .doesNotContain("alice", "demo-echo", "usage-table");
    assertThat(store.gw.send("GET", "/usage?tenant=acme", bob, null).statusCode()).isEqualTo(403);
  }

  @Test
  void aUserSeesOnlyTheirOwnCallsAndAPlatformAdminEveryTenant() throws Exception {
    String aliceSees = page("/console/usage?groupBy=user", alice);
    assertThat(aliceSees).contains("data-key=\"alice\"").doesNotContain("data-key=\"" + XSS_TEXT, "data-key=\"bob\"");
    String admin = page("/console/usage?groupBy=tenant", store.gw.platformAdminToken());
    assertThat(admin).contains("data-key=\"acme\"", "data-key=\"globex\"", "id=\"u-tenant\"");
    assertThat(page("/console/usage?groupBy=tenant&tenant=globex", store.gw.platformAdminToken()))
        .contains("data-key=\"globex\"").doesNotContain("data-key=\"acme\"");
  }

  @Test
  void aUserNameThatIsMarkupRendersAsTextInTheTableTheLegendAndTheQuotas() throws Exception {
    String body = page("/console/usage?groupBy=user&range=1h", acmeAdmin);
    assertThat(body).doesNotContain(XSS).contains("<td>" + XSS_TEXT + "</td>", "data-key=\"" + XSS_TEXT + "\"",
        "</span>" + XSS_TEXT);
    String own = page("/console/usage?groupBy=user", mallory);
    assertThat(own).doesNotContain(XSS).contains("user " + XSS_TEXT + " of tenant acme");
  }

  @Test
  void aBadParameterIsShownAsAnErrorNamingItAndTheFormStays() throws Exception {
    assertThat(page("/console/usage?groupBy=colour", alice)).contains("id=\"usage-error\"",
        "groupBy must be tenant, user, tool or model", "id=\"usage-form\"");
    assertThat(page("/console/usage?from=yesterday", alice)).contains("from must be an ISO-8601 time");
  }

  @Test
  void theRangeChoosesTheChartsBucketPerMinuteHourOrDay() throws Exception {
    assertThat(page("/console/usage?range=1h", alice)).contains("per minute;", "Calls per minute");
    assertThat(page("/console/usage?range=7d", alice)).contains("per hour;", "Calls per hour",
        "<option value=\"7d\" selected>");
    assertThat(page("/console/usage?from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z", alice))
        .contains("2026-01-01T00:00:00Z to 2026-03-01T00:00:00Z (UTC), per day;", "id=\"no-usage\"");
  }

  @Test
  void theUsageApiAnswersEachGroupsSumsPerTimeBucketAddingUpToItsTotals() throws Exception {
    JsonNode answer = store.gw.get("/usage?groupBy=user&bucket=1m", acmeAdmin);
    assertThat(answer.path("bucket").asText()).isEqualTo("PT1M");
    assertThat(answer.path("buckets").asInt()).isBetween(1440, 1441);
    for (JsonNode g : answer.path("groups")) {
      long calls = 0;
      double cost = 0;
      for (JsonNode b : g.path("buckets")) {
        assertThat(b.path("calls").asLong()).isPositive();
        assertThat(b.path("start").asText()).endsWith(":00Z");
        calls += b.path("calls").asLong();
        cost += b.path("cost").asDouble();
      }
      assertThat(calls).as(g.path("key").asText()).isEqualTo(g.path("calls").asLong());
      assertThat(cost).isCloseTo(g.path("cost").asDouble(), org.assertj.core.api.Assertions.within(1e-9));
    }
    JsonNode hourly = store.gw.get("/usage?groupBy=tool&bucket=1h&from=2026-01-01T00:30:00Z&to=2026-01-02T00:00:00Z",
        acmeAdmin);
    assertThat(hourly.path("start").asText()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(hourly.path("buckets").asInt()).isEqualTo(24);
    assertThat(store.gw.get("/usage", acmeAdmin).has("bucket")).isFalse();
    HttpResponse<String> bad = store.gw.send("GET", "/usage?bucket=1w", acmeAdmin, null);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("\"field\":\"bucket\"");
    HttpResponse<String> tooMany = store.gw.send("GET", "/usage?bucket=1m&from=2026-01-01T00:00:00Z"
        + "&to=2026-01-08T00:00:00Z", acmeAdmin, null);
    assertThat(tooMany.statusCode()).isEqualTo(400);
    assertThat(tooMany.body()).contains("more than 1500 buckets");
  }

  private String page(String path, String token) throws Exception {
    HttpResponse<String> r = store.gw.send(HttpRequest.newBuilder(URI.create(store.gw.base + path))
        .header("Authorization", "Bearer " + token).GET().build());
    assertThat(r.statusCode()).as(path).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
        assertThat(csp).contains("script-src 'self'"));
    return r.body();
  }

  /** The table row (from {@code <tr} to {@code </tr>}) that contains {@code marker}. */
  private static String row(String body, String marker) {
    int at = body.indexOf(marker);
    assertThat(at).as(marker).isNotNegative();
    return body.substring(body.lastIndexOf("<tr", at), body.indexOf("</tr>", at));
  }

  /** An amount as the usage page writes it (6 decimals at most). */
  static String amount(double v) {
    return new java.math.BigDecimal(Double.toString(v)).setScale(6, java.math.RoundingMode.HALF_UP)
        .stripTrailingZeros().toPlainString();
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  private static String json(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
