package dev.mcpgw.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.mcpgw.gateway.config.GatewaySettings;
import dev.mcpgw.gateway.testing.EverythingServer;
import dev.mcpgw.observability.Observability;
import dev.mcpgw.observability.config.ObservabilityConfigLoader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13's Prometheus "Done when": Debian's Prometheus scrapes a real gateway (production parts, Prometheus
 * exporter, tracing on) under a short real load: the TypeScript MCP client and raw calls through two
 * server-everything upstreams, one of them killed midway. Then every PromQL expression in {@code deploy/} (dashboard
 * targets and variables, alert and recording rules) is evaluated against it: each parses, and every expression of the
 * overview dashboard returns data. The scrape is OpenMetrics, so Prometheus also stores the latency exemplars.
 */
class PrometheusDeployTest {
  private static final Path DEPLOY = Path.of("..", "deploy");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Pattern LABEL_VALUES = Pattern.compile("^label_values\\((.*),\\s*[a-zA-Z_]+\\)$");

  @TempDir Path tmp;

  /** Every PromQL expression in deploy/, by where it is ({@code file: panel / target}), Grafana variables filled. */
  static Map<String, String> expressions() throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    try (Stream<Path> files = Files.list(DEPLOY.resolve("grafana").resolve("dashboards"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        JsonNode dashboard = JSON.readTree(file.toFile());
        String name = file.getFileName().toString();
        for (JsonNode panel : dashboard.path("panels")) {
          for (JsonNode target : panel.path("targets")) {
            out.put(name + ": " + panel.path("title").asText() + " / " + target.path("refId").asText(),
                grafana(target.path("expr").asText()));
          }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
          Matcher m = LABEL_VALUES.matcher(variable.path("definition").asText());
          if (m.matches()) {
            out.put(name + ": variable " + variable.path("name").asText(), m.group(1));
          }
        }
      }
    }
    for (JsonNode group : YAML.readTree(DEPLOY.resolve("prometheus").resolve("alerts.yml").toFile()).path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        String name = rule.has("alert") ? rule.get("alert").asText() : rule.path("record").asText();
        out.put("alerts.yml: " + name, rule.path("expr").asText());
      }
    }
    return out;
  }

  /** A Grafana expression as Prometheus takes it: its interval and dashboard variables filled in. */
  static String grafana(String expr) {
    return expr.replace("$__rate_interval", "1m").replace("$__interval", "15s").replace("$__range", "1h")
        .replaceAll("\\$\\{?[a-z_]+}?", ".*");
  }

  @Test
  void everyDeployedExpressionParsesAndEveryOverviewExpressionReturnsDataFromARealScrape() throws Exception {
    Map<String, String> expressions = expressions();
    assertThat(expressions).hasSizeGreaterThan(30);
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    Files.createDirectories(tmp.resolve("config"));
    Files.writeString(tmp.resolve("config/mcpgw.yaml"), """
        plugins:
          - name: deny
            kind: deny_list
            priority: 10
            config:
              tools: ["*-get-env"]
        """);
    try (EverythingServer everything = EverythingServer.start(EverythingServer.Mode.STREAMABLE_HTTP, tmp);
        Observability observability = Observability.builder(ObservabilityConfigLoader.load(Map.of(
            "OTEL_METRICS_EXPORTER", "prometheus", "OTEL_TRACES_EXPORTER", "none", "OTEL_LOGS_EXPORTER", "none",
            "OTEL_TRACES_SAMPLER", "always_on"), null)).addSpanExporter("memory", spans).build()) {
      EverythingServer doomed = EverythingServer.start(EverythingServer.Mode.STREAMABLE_HTTP, tmp);
      GatewaySettings settings = TestGateway.settings(tmp,
          new GatewaySettings.Database("jdbc:sqlite:" + tmp.resolve("reg.db"), null, null, 4),
          Map.of("MCPGW_HEALTH_CHECK_INTERVAL", "1s", "MCPGW_UPSTREAM_REQUEST_TIMEOUT", "2s",
              "MCPGW_UPSTREAM_BREAKER_FAILURES", "2"));
      try (TestGateway gw = TestGateway.start(settings,
              GatewayApplication.Parts.production().withObservability(s -> observability));
          Prometheus prometheus = Prometheus.start(tmp, gw.app.port(), gw.platformAdminToken())) {
        for (EverythingServer upstream : List.of(everything, doomed)) {
          gw.post("/gateways", "{\"name\":\"" + (upstream == doomed ? "doomed" : "everything")
              + "\",\"transport\":\"streamablehttp\",\"url\":\"http://127.0.0.1:" + upstream.port() + "/mcp\"}",
              gw.adminToken());
        }
        String user = gw.userToken();
        // the load: the TypeScript client, then raw calls; one upstream dies midway
        for (String tool : List.of("everything-echo", "doomed-echo", "everything-get-sum")) {
          NodePeers.runClient(gw.base + "/mcp", user, tool,
              tool.endsWith("sum") ? "{\"a\":1,\"b\":2}" : "{\"message\":\"hi\"}", tmp);
        }
        McpRpc rpc = new McpRpc(gw, user);
        for (int i = 0; i < 20; i++) {
          rpc.call("tools/call", "{\"name\":\"everything-echo\",\"arguments\":{\"message\":\"" + i + "\"}}");
          rpc.call("tools/call", "{\"name\":\"doomed-echo\",\"arguments\":{\"message\":\"" + i + "\"}}");
          if (i == 5) {
            rpc.call("tools/call", "{\"name\":\"everything-get-env\",\"arguments\":{}}");
          }
          if (i == 10) {
            doomed.close();
          }
        }
        rpc.call("tools/list", "{}");
        rpc.end(); // a session that ends: mcp.server.session.duration
        // Prometheus has scraped the gateway after the load (on a busy machine some scrapes time out: wait for
        // enough good ones), sees the dead upstream down, and then every expression is evaluated
        Instant loaded = Instant.now();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
          assertThat(prometheus.query("mcpgw_upstream_up{mcpgw_upstream_name=\"doomed\"} == 0")
              .path("data").path("result")).hasSize(1);
          assertThat(evaluate(prometheus, expressions)).as("deploy/ expressions against a real scrape").isEmpty();
        });

        // the OpenMetrics scrape carried exemplars, which Prometheus keeps: a latency bucket leads to a trace
        JsonNode exemplars = prometheus.get("/api/v1/query_exemplars?query="
            + URLEncoder.encode("mcp_server_operation_duration_seconds_bucket", StandardCharsets.UTF_8)
            + "&start=" + (loaded.getEpochSecond() - 300) + "&end=" + (Instant.now().getEpochSecond() + 5));
        assertThat(exemplars.path("data").toString()).containsPattern("\"trace_id\":\"[0-9a-f]{32}\"");
      }
    }
  }

  /** What is wrong with the expressions: one that does not parse, or an overview one that returns no data. */
  static List<String> evaluate(Prometheus prometheus, Map<String, String> expressions) {
    List<String> failures = new ArrayList<>();
    expressions.forEach((where, expr) -> {
      JsonNode answer = prometheus.query(expr);
      if (!"success".equals(answer.path("status").asText())) {
        failures.add(where + " does not parse: " + answer.path("error").asText() + "\n  " + expr);
      } else if (where.startsWith("mcpgw-overview.json") && answer.path("data").path("result").isEmpty()) {
        failures.add(where + " returns no data\n  " + expr);
      }
    });
    return failures;
  }

  /** Debian's Prometheus on a free loopback port, scraping the gateway every 2 seconds with the deployed rules. */
  record Prometheus(Process process, int port, Path log) implements AutoCloseable {
    static Prometheus start(Path dir, int gatewayPort, String token) throws Exception {
      int port = NodePeers.freePort();
      Path config = dir.resolve("prometheus.yml");
      Files.writeString(config, """
          global: {scrape_interval: 2s, scrape_timeout: 2s, evaluation_interval: 2s}
          rule_files: ["%s"]
          scrape_configs:
            - job_name: mcpgw
              metrics_path: /metrics
              authorization: {type: Bearer, credentials: "%s"}
              static_configs: [{targets: ["127.0.0.1:%d"]}]
          """.formatted(DEPLOY.resolve("prometheus").resolve("alerts.yml").toAbsolutePath().normalize(), token,
          gatewayPort));
      Path log = dir.resolve("prometheus.log");
      Process p = new ProcessBuilder("prometheus", "--config.file=" + config,
          "--storage.tsdb.path=" + dir.resolve("prometheus-data"), "--web.listen-address=127.0.0.1:" + port,
          "--enable-feature=exemplar-storage")
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      Prometheus prometheus = new Prometheus(p, port, log);
      try {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
          if (!p.isAlive()) {
            throw new AssertionError("prometheus exited: " + Files.readString(log));
          }
          return "success".equals(prometheus.query("up").path("status").asText());
        });
      } catch (RuntimeException | Error e) {
        prometheus.close();
        throw e;
      }
      return prometheus;
    }

    JsonNode query(String promql) {
      return get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    }

    JsonNode get(String pathAndQuery) {
      try {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
            .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
      } catch (IOException e) {
        return JSON.createObjectNode().put("status", "unreachable").put("error", e.toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void close() {
      process.destroy();
      try {
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }
}
