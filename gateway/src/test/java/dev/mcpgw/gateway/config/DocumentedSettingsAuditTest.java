package dev.mcpgw.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue 11's audit, kept: every key documented in docs/configuration.md (gateway and observability) is set by a test
 * that observes its effect, outside the loader and doc tests (which prove a key is read, not that it acts). A test
 * names the key literally ({@code "MCPGW_PORT"}, or a YAML text block with its last segment), or is listed in
 * {@link #OBSERVED_ELSEWHERE} (a key the test composes, such as the per-signal OTLP keys, or one whose settings
 * record a behaviour test sets while the loader tests map the key onto it); a key no test can observe
 * in-process is listed in {@link #NOT_OBSERVED} with the reason. A new documented key with neither fails here.
 */
class DocumentedSettingsAuditTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  /** Keys whose effect a test observes under a composed name, and the test. */
  static final Map<String, String> OBSERVED_ELSEWHERE = Map.ofEntries(
      signal("TRACES", "ENDPOINT"), signal("TRACES", "PROTOCOL"), signal("TRACES", "HEADERS"),
      signal("TRACES", "COMPRESSION"), signal("TRACES", "CERTIFICATE"), signal("TRACES", "CLIENT_KEY"),
      signal("TRACES", "CLIENT_CERTIFICATE"),
      signal("METRICS", "ENDPOINT"), signal("METRICS", "PROTOCOL"), signal("METRICS", "HEADERS"),
      signal("METRICS", "COMPRESSION"), signal("METRICS", "CERTIFICATE"), signal("METRICS", "CLIENT_KEY"),
      signal("METRICS", "CLIENT_CERTIFICATE"),
      signal("LOGS", "ENDPOINT"), signal("LOGS", "PROTOCOL"), signal("LOGS", "HEADERS"),
      signal("LOGS", "COMPRESSION"), signal("LOGS", "CERTIFICATE"), signal("LOGS", "CLIENT_KEY"),
      signal("LOGS", "CLIENT_CERTIFICATE"),
      Map.entry("observability.tracing.resilience.failure_threshold", "ResilienceConfigTest"),
      Map.entry("observability.tracing.resilience.open_duration", "ResilienceConfigTest"),
      Map.entry("observability.tracing.resilience.buffer_dir", "ResilienceConfigTest"),
      Map.entry("observability.tracing.resilience.max_disk_bytes", "ResilienceConfigTest"),
      Map.entry("observability.tracing.resilience.max_buffer_age", "ResilienceConfigTest"),
      Map.entry("MCPGW_UPSTREAM_DEDICATED_SESSIONS_MAX", "DedicatedSessionsTest"),
      Map.entry("MCPGW_UPSTREAM_DEDICATED_STDIO_SESSIONS_MAX", "UpstreamProcessesSecurityTest"),
      Map.entry("MCPGW_UPSTREAM_DEDICATED_SESSIONS_PER_USER", "DedicatedSessionsTest"),
      Map.entry("MCPGW_UPSTREAM_CONNECT_TIMEOUT", "UpstreamConnectFailuresTest"),
      Map.entry("MCPGW_SPAN_STORE_RETENTION", "SpanStoreTest"),
      Map.entry("MCPGW_SPAN_STORE_PRUNE_INTERVAL", "SpanStoreTest"),
      Map.entry("MCPGW_SPAN_STORE_MAX_SPANS", "SpanStoreTest"));

  /** Keys no test observes yet, and why. Shrink this list; never grow it without a reason a reviewer accepts. */
  static final Map<String, String> NOT_OBSERVED = Map.ofEntries(
      Map.entry("observability.metrics.collectors[].interval",
          "documented as accepted for compatibility only: collection follows export_interval"),
      Map.entry("OTEL_EXPORTER_OTLP_INSECURE", "needs a collector reached by an endpoint without scheme"),
      Map.entry("OTEL_EXPORTER_OTLP_TRACES_INSECURE", "needs a collector reached by an endpoint without scheme"),
      Map.entry("OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "needs a collector that hangs; passed to the exporter"),
      Map.entry("OTEL_EXPORTER_OTLP_METRICS_TIMEOUT", "SDK setting passed to autoconfigure; needs a hanging collector"),
      Map.entry("OTEL_EXPORTER_OTLP_LOGS_TIMEOUT", "SDK setting passed to autoconfigure; needs a hanging collector"),
      Map.entry("OTEL_METRIC_EXPORT_TIMEOUT", "SDK setting passed to autoconfigure; needs a hanging collector"),
      Map.entry("OTEL_BLRP_SCHEDULE_DELAY", "SDK setting passed to autoconfigure; observable only by waiting"),
      Map.entry("OTEL_BLRP_EXPORT_TIMEOUT", "SDK setting passed to autoconfigure; needs a hanging collector"),
      Map.entry("MCPGW_CATALOG_CACHE_TTL", "needs two instances on one database"),
      Map.entry("MCPGW_SSE_REPLAY_EVENTS", "needs a client that reconnects after more events than the buffer holds"));

  private static Map.Entry<String, String> signal(String signal, String suffix) {
    return Map.entry("OTEL_EXPORTER_OTLP_" + signal + "_" + suffix, "SignalSettingsTakeEffectTest");
  }

  /** Every documented key: environment variables, and YAML paths of rows without one. */
  static Set<String> documentedKeys() throws IOException {
    Set<String> keys = new LinkedHashSet<>();
    Pattern env = Pattern.compile("`((?:MCPGW|OTEL)_[A-Z_]+)`");
    Pattern yaml = Pattern.compile("`(observability\\.[a-z_.\\[\\]*]+)`");
    for (String line : Files.readAllLines(ROOT.resolve("docs/configuration.md"))) {
      if (!line.startsWith("| `") && !line.startsWith("| |")) {
        continue;
      }
      String[] cells = line.split("\\|", -1);
      Matcher e = env.matcher(cells[1]);
      boolean any = false;
      while (e.find()) {
        keys.add(e.group(1));
        any = true;
      }
      if (!any && cells.length > 2) {
        Matcher y = yaml.matcher(cells[2]);
        while (y.find()) {
          keys.add(y.group(1));
        }
      }
    }
    return keys;
  }

  private static List<String> testSources() throws IOException {
    List<String> texts = new ArrayList<>();
    for (String module : List.of("gateway", "observability")) {
      try (Stream<Path> files = Files.walk(ROOT.resolve(module).resolve("src/test/java"))) {
        files.filter(p -> p.toString().endsWith(".java"))
            .filter(p -> !p.getFileName().toString().matches(
                "(SettingsLoaderTest|ObservabilityConfigLoaderTest|ConfigurationDocTest|DocumentedSettingsAuditTest)\\.java"))
            .forEach(p -> {
              try {
                texts.add(Files.readString(p));
              } catch (IOException ex) {
                throw new UncheckedIOException(ex);
              }
            });
      }
    }
    return texts;
  }

  private static boolean testExists(String simpleName) throws IOException {
    for (String module : List.of("gateway", "observability")) {
      try (Stream<Path> files = Files.walk(ROOT.resolve(module).resolve("src/test/java"))) {
        if (files.anyMatch(p -> p.getFileName().toString().equals(simpleName + ".java"))) {
          return true;
        }
      }
    }
    return false;
  }

  @Test
  void everyDocumentedKeyIsSetByATestThatObservesItsEffect() throws IOException {
    Set<String> documented = documentedKeys();
    assertThat(documented).as("keys parsed from docs/configuration.md").hasSizeGreaterThan(100)
        .contains("MCPGW_PORT", "OTEL_CAPTURE_PAYLOADS", "observability.tracing.enabled");
    List<String> sources = testSources();
    List<String> unobserved = new ArrayList<>();
    for (String key : documented) {
      boolean literal;
      if (key.startsWith("observability.")) {
        String last = key.substring(key.lastIndexOf('.') + 1).replace("[]", "").replace("*", "");
        Pattern inYaml = Pattern.compile("(?m)^\\s*-?\\s*" + Pattern.quote(last) + ":");
        literal = sources.stream().anyMatch(s -> inYaml.matcher(s).find());
      } else {
        literal = sources.stream().anyMatch(s -> s.contains("\"" + key + "\""));
      }
      if (!literal && !OBSERVED_ELSEWHERE.containsKey(key) && !NOT_OBSERVED.containsKey(key)) {
        unobserved.add(key);
      }
    }
    assertThat(unobserved).as("documented keys no test sets (add a test that observes the effect)").isEmpty();
  }

  @Test
  void theListsNameDocumentedKeysAndExistingTests() throws IOException {
    Set<String> documented = documentedKeys();
    assertThat(documented).containsAll(OBSERVED_ELSEWHERE.keySet()).containsAll(NOT_OBSERVED.keySet());
    for (String test : Set.copyOf(OBSERVED_ELSEWHERE.values())) {
      assertThat(testExists(test)).as("test %s exists", test).isTrue();
    }
  }
}
