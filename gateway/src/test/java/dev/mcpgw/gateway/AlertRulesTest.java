package dev.mcpgw.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The alert rules in {@code deploy/prometheus/alerts.yml} pass {@code promtool check rules}, their unit tests
 * ({@code alerts.test.yml}: each alert fires on synthetic series of a failure, stays silent on healthy ones) pass
 * {@code promtool test rules}, and each alert has a runbook section in docs/operations.md and a test that fires it.
 * Debian's {@code promtool} ({@code .ci/run} installs the {@code prometheus} package).
 */
class AlertRulesTest {
  static final Path RULES_DIR = Path.of("..", "deploy", "prometheus");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static String promtool(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("promtool"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).directory(RULES_DIR.toFile()).redirectErrorStream(true).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as("promtool %s:\n%s", String.join(" ", args), out).isZero();
    return out;
  }

  static List<String> alertNames() throws IOException {
    List<String> names = new ArrayList<>();
    for (JsonNode group : YAML.readTree(RULES_DIR.resolve("alerts.yml").toFile()).path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        if (rule.has("alert")) {
          names.add(rule.get("alert").asText());
        }
      }
    }
    return names;
  }

  @Test
  void theRulesAreValidAndTheirUnitTestsPass() throws Exception {
    assertThat(promtool("check", "rules", "alerts.yml")).contains("SUCCESS");
    assertThat(promtool("test", "rules", "alerts.test.yml")).contains("SUCCESS");
  }

  @Test
  void everyAlertHasARunbookAndAUnitTestThatFiresIt() throws Exception {
    List<String> alerts = alertNames();
    assertThat(alerts).hasSizeGreaterThanOrEqualTo(8);
    String runbooks = Files.readString(Path.of("..", "docs", "operations.md"));
    JsonNode tests = YAML.readTree(RULES_DIR.resolve("alerts.test.yml").toFile()).path("tests");
    for (String alert : alerts) {
      assertThat(runbooks).as("a runbook heading for %s in docs/operations.md", alert)
          .containsPattern("(?m)^### .*`" + alert + "`");
      boolean fired = false;
      for (JsonNode test : tests) {
        for (JsonNode check : test.path("alert_rule_test")) {
          fired |= check.path("alertname").asText().equals(alert) && !check.path("exp_alerts").isEmpty();
        }
      }
      assertThat(fired).as("alerts.test.yml fires %s", alert).isTrue();
      assertThat(Files.readString(RULES_DIR.resolve("alerts.yml")))
          .contains("docs/operations.md#" + alert.toLowerCase(Locale.ROOT));
    }
  }
}
