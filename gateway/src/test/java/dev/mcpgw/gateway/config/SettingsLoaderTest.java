package dev.mcpgw.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SettingsLoaderTest {
  @TempDir Path tmp;

  @Test
  void defaultsWithoutEnvOrFile() {
    GatewaySettings s = SettingsLoader.load(Map.of(), tmp);

    assertThat(s.host()).isEqualTo("127.0.0.1");
    assertThat(s.port()).isEqualTo(4444);
    assertThat(s.dataDir()).isEqualTo(tmp.resolve("data"));
    assertThat(s.database().url()).isEqualTo("jdbc:sqlite:" + tmp.resolve("data").resolve("mcpgw.db"));
    assertThat(s.auth().required()).isTrue();
    assertThat(s.auth().adminPassword()).isNull();
    assertThat(s.upstream().requestTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.plugins().isMissingNode()).isTrue();
    assertThat(s.configFile()).isNull();
  }

  @Test
  void environmentWinsOverTheYamlFileWhichWinsOverDefaults() throws Exception {
    Files.createDirectories(tmp.resolve("config"));
    Files.writeString(tmp.resolve("config/mcpgw.yaml"), """
        port: 5555
        host: 0.0.0.0
        upstream_request_timeout: 5s
        plugins:
          - name: deny
            kind: deny_list
        """);

    GatewaySettings s = SettingsLoader.load(Map.of("MCPGW_PORT", "6666"), tmp);

    assertThat(s.port()).isEqualTo(6666);
    assertThat(s.host()).isEqualTo("0.0.0.0");
    assertThat(s.upstream().requestTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(s.plugins().get(0).get("name").asText()).isEqualTo("deny");
    assertThat(s.configFile()).isEqualTo(tmp.resolve("config/mcpgw.yaml"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "MCPGW_PORT|99999|an integer from 0 to 65535",
      "MCPGW_PORT|abc|an integer from 0 to 65535",
      "MCPGW_AUTH_REQUIRED|maybe|true or false",
      "MCPGW_ALLOWED_ORIGINS|https://ok.example.com,app.example.com|scheme://host[:port]",
      "MCPGW_ALLOWED_ORIGINS|https://evil.example.com/path|scheme://host[:port]",
      "MCPGW_MAX_SESSIONS|0|an integer from 1 to 1000000",
      "MCPGW_SSE_REPLAY_EVENTS|0|an integer from 1 to 100000",
      "MCPGW_SESSION_IDLE_TIMEOUT|forever|500ms, 30s",
      "MCPGW_DATABASE_URL|jdbc:mysql://x/y|jdbc:sqlite:",
      "MCPGW_UPSTREAM_REQUEST_TIMEOUT|soon|500ms, 30s",
      "MCPGW_HEALTH_CHECK_INTERVAL|0s|a positive duration",
      "MCPGW_JWT_SECRET|short|at least 32 bytes",
      "MCPGW_MAX_BODY_BYTES|10|an integer from 1024",
      "MCPGW_ALLOWED_HOSTS|https://mcp.example.com|host names or IP addresses without port",
      "MCPGW_ALLOWED_HOSTS|mcp.example.com:443|host names or IP addresses without port",
      "MCPGW_HEADER_TIMEOUT|0s|a positive duration",
      "MCPGW_BODY_TIMEOUT|slow|500ms, 30s",
      "MCPGW_MAX_CONNECTIONS_PER_CLIENT|0|an integer from 1 to 1000000",
      "MCPGW_JWT_MAX_LIFETIME|never|500ms, 30s",
      "MCPGW_TOKEN_ENCODING|gpt9|o200k_base",
      "MCPGW_AUTH_CACHE_SIZE|-1|an integer from 0 to 1000000",
      "MCPGW_AUTH_CACHE_TTL|1h|1s to 15m"})
  void anInvalidValueFailsNamingTheKeyAndTheAllowedValues(String key, String value, String allowed) {
    assertThatThrownBy(() -> SettingsLoader.load(Map.of(key, value), tmp))
        .isInstanceOfSatisfying(InvalidSettingException.class, e -> {
          assertThat(e.key()).isEqualTo(key);
          assertThat(e.getMessage()).startsWith(key).contains(allowed);
        });
  }

  @Test
  void theSecretIsNeverEchoedInItsError() {
    assertThatThrownBy(() -> SettingsLoader.load(Map.of("MCPGW_JWT_SECRET", "tiny-secret"), tmp))
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("tiny-secret"));
  }

  @Test
  void anUnknownYamlKeyOrAMissingConfigFileFailsNamingIt() throws Exception {
    Path file = tmp.resolve("custom.yaml");
    Files.writeString(file, "prot: 1\n");

    assertThatThrownBy(() -> SettingsLoader.load(Map.of("MCPGW_CONFIG", file.toString()), tmp))
        .isInstanceOfSatisfying(InvalidSettingException.class, e -> {
          assertThat(e.key()).isEqualTo("prot");
          assertThat(e.getMessage()).contains("allowed:").contains("port");
        });
    assertThatThrownBy(() -> SettingsLoader.load(Map.of("MCPGW_CONFIG", "missing.yaml"), tmp))
        .isInstanceOfSatisfying(InvalidSettingException.class, e -> assertThat(e.key()).isEqualTo("MCPGW_CONFIG"));
  }

  @Test
  void malformedYamlFailsNamingTheFile() throws Exception {
    Files.createDirectories(tmp.resolve("config"));
    Files.writeString(tmp.resolve("config/mcpgw.yaml"), "port: [1\n");

    assertThatThrownBy(() -> SettingsLoader.load(Map.of(), tmp))
        .isInstanceOfSatisfying(InvalidSettingException.class, e -> assertThat(e.getMessage()).contains("mcpgw.yaml"));
  }

  @Test
  void endpointSettingsComeFromTheirKeysWithOriginsNormalised() {
    GatewaySettings s = SettingsLoader.load(Map.of("MCPGW_ALLOWED_ORIGINS", " https://App.Example.com:8443 , http://b.test",
        "MCPGW_SESSION_IDLE_TIMEOUT", "5m", "MCPGW_MAX_SESSIONS", "50", "MCPGW_SSE_REPLAY_EVENTS", "7"), tmp);

    assertThat(s.endpoints().allowedOrigins()).containsExactlyInAnyOrder("https://app.example.com:8443", "http://b.test");
    assertThat(s.endpoints().sessionIdleTimeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(s.endpoints().maxSessions()).isEqualTo(50);
    assertThat(s.endpoints().sseReplayEvents()).isEqualTo(7);
  }

  @Test
  void endpointSettingsDefaultToLoopbackOnlyAndTenThousandHalfHourSessions() {
    GatewaySettings.Endpoints e = SettingsLoader.load(Map.of(), tmp).endpoints();

    assertThat(e.allowedOrigins()).isEmpty();
    assertThat(e.sessionIdleTimeout()).isEqualTo(Duration.ofMinutes(30));
    assertThat(e.maxSessions()).isEqualTo(10_000);
    assertThat(e.sseReplayEvents()).isEqualTo(100);
  }

  @Test
  void everyKeyIsDocumentedInTheConfigurationReference() throws Exception {
    String doc = Files.readString(Path.of("..", "docs", "configuration.md"));

    for (SettingsLoader.Key key : SettingsLoader.Key.values()) {
      assertThat(doc).as("docs/configuration.md documents %s", key.env())
          .contains("| `" + key.env() + "` (`" + key.yaml() + "`)");
    }
  }

  @Test
  void upstreamIsolationSettingsComeFromTheirKeysWithOneHomeForTheirDefaults() {
    GatewaySettings.Upstream d = SettingsLoader.load(Map.of(), tmp).upstream();
    GatewaySettings.Upstream u = SettingsLoader.load(Map.of("MCPGW_UPSTREAM_DEDICATED_SESSIONS_MAX", "40",
        "MCPGW_UPSTREAM_DEDICATED_STDIO_SESSIONS_MAX", "2", "MCPGW_UPSTREAM_DEDICATED_SESSIONS_PER_USER", "1",
        "MCPGW_STDIO_ENV_ALLOW", "TEAM_*,HTTPS_PROXY"), tmp).upstream();

    assertThat(d.dedicatedSessions()).isEqualTo(dev.mcpgw.gateway.config.DedicatedSessionLimits.defaults());
    assertThat(d.stdioEnvironment()).isEqualTo(dev.mcpgw.gateway.config.StdioEnvironment.defaults());
    assertThat(u.dedicatedSessions())
        .isEqualTo(new dev.mcpgw.gateway.config.DedicatedSessionLimits(40, 2, 1));
    assertThat(u.stdioEnvironment().inherits("TEAM_REGION")).isTrue();
    assertThat(u.stdioEnvironment().inherits("HTTPS_PROXY")).isTrue();
    assertThat(d.stdioEnvironment().inherits("HTTPS_PROXY")).isFalse();
  }

  @Test
  void aStdioAllowEntryThatCanNeverPassFailsNamingTheKeyAndTheEntry() {
    assertThatThrownBy(() -> SettingsLoader.load(Map.of("MCPGW_STDIO_ENV_ALLOW", "PATH,MCPGW_*"), tmp))
        .isInstanceOfSatisfying(InvalidSettingException.class, e -> {
          assertThat(e.key()).isEqualTo("MCPGW_STDIO_ENV_ALLOW");
          assertThat(e.getMessage()).contains("'MCPGW_*'");
        });
    assertThatThrownBy(() -> SettingsLoader.load(Map.of("MCPGW_UPSTREAM_DEDICATED_STDIO_SESSIONS_MAX", "-1"), tmp))
        .isInstanceOfSatisfying(InvalidSettingException.class,
            e -> assertThat(e.key()).isEqualTo("MCPGW_UPSTREAM_DEDICATED_STDIO_SESSIONS_MAX"));
  }

  @Test
  void productionAndTestsReadTheSameDefaults() {
    GatewaySettings s = SettingsLoader.load(Map.of(), tmp);

    GatewaySettings.Upstream u = s.upstream();
    assertThat(new dev.mcpgw.gateway.upstream.UpstreamSettings(u.connectTimeout(), u.requestTimeout(),
        u.maxRetries(), u.retryBackoff(), u.breakerFailureThreshold(), u.breakerOpenDuration()))
        .isEqualTo(dev.mcpgw.gateway.upstream.UpstreamSettings.DEFAULTS);
    assertThat(u.requestTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.endpoints()).isEqualTo(GatewaySettings.Endpoints.DEFAULTS);
    assertThat(dev.mcpgw.gateway.transport.McpSettings.from(s))
        .isEqualTo(dev.mcpgw.gateway.transport.McpSettings.DEFAULTS);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "MCPGW_UPSTREAM_REQUEST_TIMEOUT|P1D|PT24H",
      "MCPGW_UPSTREAM_REQUEST_TIMEOUT|2d|PT48H",
      "MCPGW_SESSION_IDLE_TIMEOUT|1500ms|PT1.5S"})
  void durationSettingsReadTheOneGrammar(String key, String value, String expected) {
    GatewaySettings s = SettingsLoader.load(Map.of(key, value), tmp);

    assertThat(key.equals("MCPGW_SESSION_IDLE_TIMEOUT") ? s.endpoints().sessionIdleTimeout()
        : s.upstream().requestTimeout()).isEqualTo(Duration.parse(expected));
  }

  @Test
  void aBareNumberIsNotAGatewayDurationBecauseOnlyOtelVariablesMeanMilliseconds() {
    assertThatThrownBy(() -> SettingsLoader.load(Map.of("MCPGW_UPSTREAM_REQUEST_TIMEOUT", "30000"), tmp))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("MCPGW_UPSTREAM_REQUEST_TIMEOUT").hasMessageContaining("with a unit");
  }

  @Test
  void spanStoreSettingsComeFromTheirKeysWithOneHomeForTheirDefaults() {
    assertThat(SettingsLoader.load(Map.of(), tmp).spanStore()).isEqualTo(GatewaySettings.SpanStore.DEFAULTS);
    GatewaySettings.SpanStore s = SettingsLoader.load(Map.of("MCPGW_SPAN_STORE", "false",
        "MCPGW_SPAN_STORE_RETENTION", "2h", "MCPGW_SPAN_STORE_MAX_SPANS", "5000", "MCPGW_SPAN_STORE_QUEUE_SIZE", "64",
        "MCPGW_SPAN_STORE_BATCH_SIZE", "8", "MCPGW_SPAN_STORE_PRUNE_INTERVAL", "10s"), tmp).spanStore();
    assertThat(s).isEqualTo(new GatewaySettings.SpanStore(false, java.time.Duration.ofHours(2), 5000, 64, 8,
        java.time.Duration.ofSeconds(10)));
    assertThatThrownBy(() -> SettingsLoader.load(Map.of("MCPGW_SPAN_STORE_QUEUE_SIZE", "0"), tmp))
        .isInstanceOfSatisfying(InvalidSettingException.class,
            e -> assertThat(e.key()).isEqualTo("MCPGW_SPAN_STORE_QUEUE_SIZE"));
  }

  @Test
  void theConsolesTraceLinkIsAnHttpTemplateWithTheTraceIdOrNone() {
    assertThat(SettingsLoader.load(Map.of(), tmp).spanStore().traceLink()).isNull();
    assertThat(SettingsLoader.load(Map.of("MCPGW_CONSOLE_TRACE_LINK", " http://localhost:16686/trace/{traceId} "), tmp)
        .spanStore().traceLink()).isEqualTo("http://localhost:16686/trace/{traceId}");
    for (String bad : List.of("javascript:alert(1)//{traceId}", "http://localhost:16686/trace/",
        "http://host/a b/{traceId}")) {
      assertThatThrownBy(() -> SettingsLoader.load(Map.of("MCPGW_CONSOLE_TRACE_LINK", bad), tmp)).as(bad)
          .isInstanceOfSatisfying(InvalidSettingException.class,
              e -> assertThat(e.key()).isEqualTo("MCPGW_CONSOLE_TRACE_LINK"));
    }
  }
}
