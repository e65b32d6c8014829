package dev.mcpgw.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mcpgw.gateway.config.GatewaySettings;
import dev.mcpgw.gateway.testing.EverythingServer;
import dev.mcpgw.gateway.testing.FaultyHttpProxy;
import dev.mcpgw.observability.Observability;
import dev.mcpgw.observability.config.ObservabilityConfigLoader;
import dev.mcpgw.observability.export.resilient.ResilienceConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metric reference in docs/operations.md and the code agree: a real gateway (production parts, Prometheus
 * exporter, a plugin, span export to a dead OTLP endpoint) in front of the real server-everything, behind a proxy that
 * is shut midway, serves every family the list names that this load produces, no family the list lacks, and no label
 * the list does not name for its family; a listed family the load does not produce is still one the code declares
 * (its OpenTelemetry name is a string literal in the gateway or observability sources).
 */
class MetricListTest {
  private static final Path DOC = Path.of("..", "docs", "operations.md");
  // what every family of the Prometheus exporter carries besides its own labels
  private static final Set<String> COMMON_LABELS = Set.of("otel_scope_name", "otel_scope_version",
      "otel_scope_schema_url", "le", "quantile");
  private static final Pattern ROW = Pattern.compile("^\\| `([a-zA-Z_:0-9]+)` \\| `([a-zA-Z0-9_.]+)`[^|]*\\|([^|]*)\\|");
  private static final Pattern BACKTICKED = Pattern.compile("`([a-zA-Z_0-9]+)`");

  @TempDir Path tmp;

  /** The documented families: Prometheus name to its OpenTelemetry name and labels. */
  record Documented(String otelName, Set<String> labels, boolean library) {}

  static Map<String, Documented> documented() throws IOException {
    String doc = Files.readString(DOC);
    int start = doc.indexOf("## Metric reference");
    assertThat(start).as("docs/operations.md has a '## Metric reference' section").isPositive();
    int end = doc.indexOf("\n## ", start + 5);
    Map<String, Documented> out = new TreeMap<>();
    for (String line : doc.substring(start, end < 0 ? doc.length() : end).split("\n")) {
      Matcher m = ROW.matcher(line);
      if (m.find()) {
        Set<String> labels = new TreeSet<>();
        Matcher l = BACKTICKED.matcher(m.group(3));
        while (l.find()) {
          labels.add(l.group(1));
        }
        // a library's instrument (the JVM runtime's, the SDK's own) is declared in that library, not here
        out.put(m.group(1), new Documented(m.group(2), labels, line.contains("library)")));
      }
    }
    return out;
  }

  /** Prometheus family name to the label names its samples carry. */
  static Map<String, Set<String>> scraped(String exposition) {
    Map<String, Set<String>> families = new TreeMap<>();
    List<String> names = new ArrayList<>();
    for (String line : exposition.split("\n")) {
      if (line.startsWith("# TYPE ")) {
        String name = line.split(" ")[2];
        families.put(name, new TreeSet<>());
        names.add(name);
      } else if (!line.startsWith("#") && !line.isBlank()) {
        String family = names.isEmpty() ? null : names.getLast();
        int brace = line.indexOf('{');
        if (family != null && brace > 0) {
          Matcher l = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"").matcher(line.substring(brace, line.indexOf('}')));
          while (l.find()) {
            families.get(family).add(l.group(1));
          }
        }
      }
    }
    return families;
  }

  static String mainSources() {
    StringBuilder all = new StringBuilder();
    for (Path root : List.of(Path.of("src", "main", "java"), Path.of("..", "observability", "src", "main", "java"))) {
      try (Stream<Path> files = Files.walk(root)) {
        files.filter(p -> p.toString().endsWith(".java")).forEach(p -> {
          try {
            all.append(Files.readString(p));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return all.toString();
  }

  @Test
  void theMetricReferenceListsExactlyWhatTheGatewayEmitsWithTheirLabels() throws Exception {
    Files.createDirectories(tmp.resolve("config"));
    Files.writeString(tmp.resolve("config/mcpgw.yaml"), """
        plugins:
          - name: deny
            kind: deny_list
            priority: 10
            config:
              tools: ["*-get-env"]
        """);
    // all three signals export over OTLP to a dead endpoint, so each pipeline's own health metrics are served
    Map<String, String> otel = Map.of("OTEL_METRICS_EXPORTER", "prometheus,otlp", "OTEL_TRACES_EXPORTER", "otlp",
        "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:9", "OTEL_LOGS_EXPORTER", "otlp",
        "OTEL_BSP_SCHEDULE_DELAY", "10", "OTEL_BLRP_SCHEDULE_DELAY", "10", "OTEL_METRIC_EXPORT_INTERVAL", "200");
    String exposition;
    try (EverythingServer everything = EverythingServer.start(EverythingServer.Mode.STREAMABLE_HTTP, tmp);
        FaultyHttpProxy proxy = FaultyHttpProxy.start("http://127.0.0.1:" + everything.port());
        Observability observability = Observability.builder(ObservabilityConfigLoader.load(otel, null))
            .resilientExport(ResilienceConfig.create(tmp.resolve("buffer"))).build()) {
      GatewaySettings settings = TestGateway.settings(tmp,
          new GatewaySettings.Database("jdbc:sqlite:" + tmp.resolve("reg.db"), null, null, 4),
          Map.of("MCPGW_UPSTREAM_REQUEST_TIMEOUT", "1s", "MCPGW_UPSTREAM_MAX_RETRIES", "2",
              "MCPGW_UPSTREAM_RETRY_BACKOFF", "50ms", "MCPGW_UPSTREAM_BREAKER_FAILURES", "2"));
      try (TestGateway gw = TestGateway.start(settings,
          GatewayApplication.Parts.production().withObservability(s -> observability))) {
        gw.post("/gateways", "{\"name\":\"everything\",\"transport\":\"streamablehttp\",\"url\":\""
            + proxy.url("/mcp") + "\"}", gw.adminToken());
        McpRpc rpc = new McpRpc(gw, gw.userToken());
        rpc.call("tools/list", "{}");
        rpc.call("tools/call", "{\"name\":\"everything-echo\",\"arguments\":{\"message\":\"hi\"}}");
        rpc.call("tools/call", "{\"name\":\"everything-get-env\",\"arguments\":{}}");
        proxy.close();
        for (int i = 0; i < 3; i++) {
          rpc.call("tools/call", "{\"name\":\"everything-echo\",\"arguments\":{\"message\":\"down\"}}");
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> gw.send("GET", "/metrics", gw.platformAdminToken(), null)
            .body().contains("mcpgw_export_spans_"));
        await().atMost(Duration.ofSeconds(20)).until(() -> {
          String text = gw.send("GET", "/metrics", gw.platformAdminToken(), null).body();
          return text.contains("otel_sdk_exporter_log_exported_total")
              && text.contains("otel_sdk_exporter_metric_data_point_exported_total");
        });
        exposition = gw.send("GET", "/metrics", gw.platformAdminToken(), null).body();
      }
    }

    Map<String, Documented> documented = documented();
    Map<String, Set<String>> scraped = scraped(exposition);
    assertThat(scraped.keySet()).as("families the gateway serves that docs/operations.md lacks")
        .isSubsetOf(documented.keySet());
    scraped.forEach((family, labels) -> {
      Set<String> allowed = new TreeSet<>(documented.get(family).labels());
      allowed.addAll(COMMON_LABELS);
      assertThat(labels).as("labels of %s that docs/operations.md does not list", family).isSubsetOf(allowed);
    });
    String sources = mainSources();
    documented.forEach((family, doc) -> {
      if (!scraped.containsKey(family) && !doc.library()) {
        assertThat(sources).as("%s is listed but neither served under load nor declared in the code", family)
            .contains("\"" + doc.otelName() + "\"");
      }
    });
  }
}
