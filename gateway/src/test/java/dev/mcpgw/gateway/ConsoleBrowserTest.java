package dev.mcpgw.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgw.gateway.auth.Caller;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console in a real browser: headless Chromium (Debian's {@code chromium}) driven by {@code puppeteer-core}
 * ({@code e2e/console-browser.mjs}) logs in with a token, finds the trace of a call it made through the gateway by
 * its request id, opens the waterfall (HTTP, {@code tools/call ...}, {@code gateway.forward}, the upstream CLIENT
 * span) and its link into the external backend ({@code MCPGW_CONSOLE_TRACE_LINK}), reads the overview's charts over
 * time, opens the usage page (its table with the API's numbers, its charts, the quotas' utilisation), and shows a
 * markup tool name (the waterfall, the charts' legend) and a markup quota user as text. Screenshots go to
 * {@code target/console-screenshots}.
 */
class ConsoleBrowserTest {
  static final String XSS = "<img src=x onerror=alert(1)>";
  @TempDir Path tmp;

  @Test
  void aBrowserLogsInFindsACallByRequestIdAndReadsItsWaterfallAndMarkupStaysText() throws Exception {
    try (StoreGateway store = StoreGateway.start(tmp,
        Map.of("MCPGW_CONSOLE_TRACE_LINK", "http://127.0.0.1:16686/trace/{traceId}",
            "MCPGW_USAGE_FLUSH_INTERVAL", "100ms", "MCPGW_PRICING_FILE", UsagePageTest.PRICING.toString()))) {
      String alice = store.gw.token("alice", "acme", Caller.Role.USER);
      assertThat(store.callTool(alice, "demo-echo", "{\"message\":\"from the browser test\"}", "browser-req-1")
          .statusCode()).isEqualTo(200);
      String trace = store.awaitTrace("browser-req-1");
      store.callTool(alice, XSS, "{}", "browser-xss");
      Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> store.gw
          .get("/observability/traces?requestId=browser-xss", alice).path("traces").size() == 1);
      // alice's quota of 1 call a day is used up (100 %), the tenant's of 1000 is not; a quota names a markup user
      String acmeAdmin = store.gw.token("ada", "acme", Caller.Role.TENANT_ADMIN);
      store.gw.post("/quotas", "{\"user\":\"alice\",\"metric\":\"calls\",\"limit\":1,\"window\":\"day\"}", acmeAdmin);
      store.gw.post("/quotas", "{\"metric\":\"calls\",\"limit\":1000,\"window\":\"day\"}", acmeAdmin);
      store.gw.post("/quotas", "{\"user\":\"" + XSS + "\",\"metric\":\"tokens\",\"limit\":10,\"window\":\"hour\"}",
          acmeAdmin);
      Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> store.gw.get("/usage", alice).path("groups")
          .size() == 1);
      JsonNode usage = store.gw.get("/usage", alice).path("groups").get(0);

      Path shots = Path.of("target", "console-screenshots").toAbsolutePath();
      Path profile = Files.createDirectories(tmp.resolve("chromium-profile"));
      JsonNode seen = NodePeers.runScript("console-browser.mjs", Map.of("BASE", store.gw.base, "TOKEN", alice,
          "REQUEST_ID", "browser-req-1", "XSS_REQUEST_ID", "browser-xss", "SHOTS", shots.toString(),
          "PROFILE", profile.toString()), tmp, Duration.ofSeconds(120));

      assertThat(seen.path("loginUrl").asText()).endsWith("/console/login");
      assertThat(seen.path("afterLoginUrl").asText()).endsWith("/console/");
      assertThat(seen.path("sessionCookie").path("httpOnly").asBoolean()).isTrue();
      assertThat(seen.path("sessionCookie").path("sameSite").asText()).isEqualTo("Strict");
      assertThat(texts(seen.path("overviewTools"))).contains("demo-echo");
      // six charts (calls, error rate, p95; tools and upstreams), drawn, with a point per minute that had calls
      assertThat(seen.path("charts")).hasSize(6);
      for (JsonNode chart : seen.path("charts")) {
        assertThat(chart.path("width").asDouble()).as(chart.path("id").asText()).isPositive();
        assertThat(chart.path("points").asInt()).as(chart.path("id").asText()).isPositive();
        assertThat(chart.path("pointColour").asText()).as(chart.path("id").asText()).startsWith("rgb(");
      }
      assertThat(seen.at("/charts/0/id").asText()).isEqualTo("tool-charts-calls");
      assertThat(texts(seen.at("/charts/0/tooltips"))).anySatisfy(t -> assertThat(t).startsWith("demo-echo · "));
      assertThat(seen.at("/chartLegend/0").asText()).contains("demo-echo", XSS);
      assertThat(seen.path("overviewImages").asInt()).isZero();

      assertThat(seen.path("searchRows")).hasSize(1);
      assertThat(seen.at("/searchRows/0/trace").asText()).isEqualTo(trace);
      assertThat(seen.path("traceUrl").asText()).endsWith("/console/traces/" + trace);
      List<String> spans = new ArrayList<>();
      seen.path("spans").forEach(s -> spans.add(s.path("kind").asText() + " " + s.path("name").asText()));
      assertThat(spans.get(0)).isEqualTo("SERVER POST /mcp");
      assertThat(spans).contains("SERVER tools/call demo-echo", "INTERNAL gateway.forward", "CLIENT tools/call echo");
      seen.path("spans").forEach(s -> assertThat(s.path("barWidth").asDouble()).isPositive());
      assertThat(seen.at("/spans/0/critical").asBoolean()).isTrue();
      assertThat(texts(seen.path("firstSpanAttributes"))).contains("request.id", "http.route");
      assertThat(seen.path("hiddenAfterCollapse").asInt()).isEqualTo(spans.size() - 1);
      assertThat(seen.path("hiddenAfterExpand").asInt()).isZero();
      assertThat(seen.path("otlpSpanCount").asInt()).isEqualTo(spans.size());
      assertThat(seen.at("/backendLink/href").asText()).isEqualTo("http://127.0.0.1:16686/trace/" + trace);
      assertThat(seen.at("/backendLink/text").asText()).isEqualTo("Open in 127.0.0.1:16686");
      assertThat(seen.at("/backendLink/rel").asText()).isEqualTo("noopener noreferrer");
      // the usage page: alice's call of demo-echo with the API's numbers, the charts, the quotas
      assertThat(seen.path("usageRows")).hasSize(1);
      assertThat(texts(seen.at("/usageRows/0"))).containsExactly("demo-echo", "1", "0",
          usage.path("argumentsTokens").asText(), usage.path("resultTokens").asText(), "0", "0",
          UsagePageTest.amount(usage.path("cost").asDouble()), "USD",
          String.format(java.util.Locale.ROOT, "%.1f ms", usage.path("p50Ms").asDouble()),
          String.format(java.util.Locale.ROOT, "%.1f ms", usage.path("p95Ms").asDouble()));
      assertThat(seen.path("usageCharts")).hasSize(2);
      for (JsonNode chart : seen.path("usageCharts")) {
        assertThat(chart.path("points").asInt()).as(chart.path("id").asText()).isPositive();
      }
      assertThat(seen.path("quotaRows")).hasSize(3);
      List<String> quotas = new ArrayList<>();
      seen.path("quotaRows").forEach(q -> quotas.add(q.path("user").asText() + " " + q.path("utilization").asText()
          + " " + q.path("nearLimit").asBoolean() + " " + q.path("meter").asDouble()));
      assertThat(quotas).containsExactlyInAnyOrder("alice 100.0 % true 1.0", "(whole tenant) 0.1 % false 0.001",
          XSS + " 0.0 % false 0.0");
      assertThat(seen.path("usageImages").asInt()).isZero();
      assertThat(texts(seen.path("registryTools"))).contains("demo-echo", "demo-add");

      assertThat(texts(seen.path("xssListNames"))).containsExactly("POST /mcp");
      assertThat(texts(seen.path("xssSpanNames"))).contains("tools/call " + XSS);
      assertThat(seen.path("xssListImages").asInt()).isZero();
      assertThat(seen.path("xssTraceImages").asInt()).isZero();
      assertThat(seen.path("dialogs")).isEmpty();
      assertThat(seen.path("cspViolations")).isEmpty();
      assertThat(seen.path("pageErrors")).isEmpty();
      assertThat(seen.path("screenshots")).hasSize(9);
      for (JsonNode file : seen.path("screenshots")) {
        assertThat(Path.of(file.asText())).isRegularFile();
      }
    }
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
