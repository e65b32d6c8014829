package dev.mcpgw.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mcpgw.gateway.auth.Caller;
import dev.mcpgw.gateway.config.GatewaySettings;
import dev.mcpgw.observability.Observability;
import dev.mcpgw.observability.config.ObservabilityConfigLoader;
import dev.mcpgw.observability.export.resilient.ResilienceConfig;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's overview over time and its link into an external backend, on a real gateway with the demo upstream,
 * the Prometheus exporter and span export to an OTLP endpoint that is down (so the export pipeline has something to
 * report): per-minute charts per tool and upstream, the export pipeline's health for a platform admin only, and the
 * trace view's link built from {@code MCPGW_CONSOLE_TRACE_LINK}, escaped.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleOverTimeTest {
  /** A link template an operator got wrong: quotes and markup must stay inside the attribute, escaped. */
  static final String LINK = "http://jaeger.example:16686/trace/{traceId}?q=\"><b>bold</b>&a=1";
  @TempDir static Path tmp;
  private TestGateway gw;
  private String alice;
  private String trace;

  @BeforeAll
  void start() throws Exception {
    Map<String, String> otel = Map.of("OTEL_METRICS_EXPORTER", "prometheus", "OTEL_TRACES_EXPORTER", "otlp",
        "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:9", "OTEL_LOGS_EXPORTER", "none",
        "OTEL_TRACES_SAMPLER", "always_on", "OTEL_BSP_SCHEDULE_DELAY", "50");
    GatewaySettings settings = TestGateway.settings(tmp,
        new GatewaySettings.Database("jdbc:sqlite:" + tmp.resolve("reg.db"), null, null, 4),
        Map.of("MCPGW_CONSOLE_TRACE_LINK", LINK));
    gw = TestGateway.startDemo(settings, GatewayApplication.Parts.production().withObservability((s, store) -> {
      Observability.Builder b = Observability.builder(ObservabilityConfigLoader.load(otel, null))
          .resilientExport(ResilienceConfig.create(tmp.resolve("buffer")));
      store.ifPresent(e -> b.addSpanExporter("span-store", e));
      return b.build();
    }));
    alice = gw.token("alice", "acme", Caller.Role.USER);
    StoreGateway calls = new StoreGateway(gw);
    calls.callTool(alice, "demo-echo", "{\"message\":\"hi\"}", "over-time-1");
    calls.callTool(alice, "demo-add", "{\"a\":\"x\",\"b\":1}", "over-time-2");
    trace = calls.awaitTrace("over-time-1");
  }

  @AfterAll
  void stop() {
    gw.close();
  }

  private String page(String path, String token) throws Exception {
    return gw.send(HttpRequest.newBuilder(URI.create(gw.base + path)).header("Authorization", "Bearer " + token)
        .GET().build()).body();
  }

  @Test
  void theOverviewDrawsCallsErrorRateAndLatencyPerMinuteForToolsAndUpstreamsAsInlineSvg() throws Exception {
    String overview = page("/console/", alice);
    for (String chart : new String[] {"tool-charts-calls", "tool-charts-error-rate", "tool-charts-p95",
        "upstream-charts-calls", "upstream-charts-error-rate", "upstream-charts-p95"}) {
      assertThat(overview).contains("<svg id=\"" + chart + "\"");
    }
    // one line per tool, a point with a tooltip per minute that had calls, the legend naming the tools
    assertThat(overview).containsPattern("<circle class=\"series-\\d\"[^>]*><title>demo-add · \\d\\d:\\d\\d · 100 %");
    assertThat(overview).containsPattern("class=\"swatch series-\\d\"></span>demo-echo");
    assertThat(overview).doesNotContain("style=");
  }

  @Test
  void aPlatformAdminSeesTheExportPipelinesHealthAndAUserDoesNot() throws Exception {
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      String overview = page("/console/", gw.platformAdminToken());
      Matcher row = Pattern.compile("<tr class=\"(ok|error)\"><td>otlp</td>(.*?)</tr>").matcher(overview);
      assertThat(row.find()).as("the otlp exporter's row").isTrue();
      // the endpoint is down: the spans went to the disk buffer
      assertThat(row.group(2)).containsPattern("<td class=\"num\">[1-9]\\d*</td>");
      assertThat(overview).contains("<table id=\"export-health\"", "batch queue");
    });
    assertThat(page("/console/", alice)).doesNotContain("export-health", "Span export");
  }

  @Test
  void theTraceViewLinksToTheConfiguredBackendWithTheTemplateEscaped() throws Exception {
    String view = page("/console/traces/" + trace, alice);
    assertThat(view).contains("<a id=\"backend-link\" rel=\"noopener noreferrer\" target=\"_blank\" href=\""
        + "http://jaeger.example:16686/trace/" + trace + "?q=&quot;&gt;&lt;b&gt;bold&lt;/b&gt;&amp;a=1\">"
        + "Open in jaeger.example:16686</a>");
    assertThat(view).doesNotContain("<b>bold</b>");
  }
}
