package dev.mcpgw.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which of the gateway's environment variables a stdio upstream inherits. */
class StdioEnvironmentTest {
  private static final Map<String, String> GATEWAY = Map.ofEntries(
      Map.entry("PATH", "/usr/bin"), Map.entry("HOME", "/home/gw"), Map.entry("LC_ALL", "C.UTF-8"),
      Map.entry("npm_config_cache", "/cache/npm"), Map.entry("MCPGW_JWT_SECRET", "s"),
      Map.entry("OTEL_EXPORTER_OTLP_HEADERS", "h"), Map.entry("JAVA_TOOL_OPTIONS", "-javaagent:x"),
      Map.entry("PGPASSWORD", "p"), Map.entry("DATABASE_URL", "postgres://u:p@h/db"),
      Map.entry("AWS_SECRET_ACCESS_KEY", "k"), Map.entry("TEAM_REGION", "eu"), Map.entry("TEAM_API_KEY", "k2"),
      Map.entry("RANDOM_THING", "r"));

  @Test
  void theDefaultAllowListPassesWhatACommandNeedsAndNothingElse() {
    Map<String, String> child = StdioEnvironment.defaults().forChild(GATEWAY, Map.of());

    assertThat(child).containsOnlyKeys("PATH", "HOME", "LC_ALL", "npm_config_cache");
  }

  @Test
  void theUpstreamsOwnEnvIsAddedAndWins() {
    Map<String, String> child = StdioEnvironment.defaults().forChild(GATEWAY,
        Map.of("HOME", "/srv/upstream", "GITHUB_TOKEN", "given-on-purpose"));

    assertThat(child).containsEntry("HOME", "/srv/upstream").containsEntry("GITHUB_TOKEN", "given-on-purpose");
  }

  @Test
  void theSettingExtendsTheDefaultsButNeverLetsSecretsOrTheGatewaysOwnThrough() {
    StdioEnvironment env = StdioEnvironment.extendedBy(List.of("TEAM_*", " RANDOM_THING ", ""));

    assertThat(env.forChild(GATEWAY, Map.of()))
        .containsOnlyKeys("PATH", "HOME", "LC_ALL", "npm_config_cache", "TEAM_REGION", "RANDOM_THING");
  }

  @Test
  void entriesThatCanNeverPassFailNamingTheEntry() {
    assertThatThrownBy(() -> StdioEnvironment.extendedBy(List.of("*")))
        .hasMessageStartingWith("'*' is not a variable name");
    assertThatThrownBy(() -> StdioEnvironment.extendedBy(List.of("MCPGW_*")))
        .hasMessageStartingWith("'MCPGW_*' names the gateway's own variables");
    assertThatThrownBy(() -> StdioEnvironment.extendedBy(List.of("M*")))
        .hasMessageStartingWith("'M*' names the gateway's own variables");
    assertThatThrownBy(() -> StdioEnvironment.extendedBy(List.of("JAVA_TOOL_OPTIONS")))
        .hasMessageStartingWith("'JAVA_TOOL_OPTIONS' names the gateway's own variables");
    assertThatThrownBy(() -> StdioEnvironment.extendedBy(List.of("GITHUB_TOKEN")))
        .hasMessageStartingWith("'GITHUB_TOKEN' looks like a secret");
  }
}
