package dev.mcpgw.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mcpgw.gateway.config.GatewaySettings;
import dev.mcpgw.observability.Observability;
import dev.mcpgw.observability.config.ObservabilityConfigLoader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 11's audit of the documented settings, for the gateway keys that no other test set by their documented name:
 * each row starts a real gateway from the environment variable through {@code SettingsLoader} and observes the
 * effect over HTTP. Each check fails with the key's default.
 */
class GatewaySettingsTakeEffectTest {
  private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
      + "\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"audit\",\"version\":\"1\"}}}";
  private static final String PING = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}";

  @TempDir Path tmp;

  @FunctionalInterface
  interface Check {
    void observe(TestGateway gw) throws Exception;
  }

  record Row(String key, Map<String, String> env, Check check) {
    @Override
    public String toString() {
      return key;
    }
  }

  static Stream<Arguments> rows() {
    return Stream.of(
        new Row("MCPGW_ADMIN_USER", Map.of("MCPGW_ADMIN_USER", "ops"), gw -> {
          assertThat(gw.send(basic(gw, "/gateways", "ops")).statusCode()).isEqualTo(200);
          assertThat(gw.send(basic(gw, "/gateways", "admin")).statusCode()).isEqualTo(401);
        }),
        new Row("MCPGW_ALLOWED_ORIGINS", Map.of("MCPGW_ALLOWED_ORIGINS", "https://app.example"), gw -> {
          assertThat(mcp(gw, INITIALIZE, null, "https://app.example").statusCode()).isEqualTo(200);
          assertThat(mcp(gw, INITIALIZE, null, "https://evil.example").statusCode()).isEqualTo(403);
        }),
        new Row("MCPGW_SESSION_IDLE_TIMEOUT", Map.of("MCPGW_SESSION_IDLE_TIMEOUT", "1s"), gw -> {
          String session = mcp(gw, INITIALIZE, null, null).headers().firstValue("Mcp-Session-Id").orElseThrow();
          // the default keeps an idle session 30 minutes; each poll waits longer than the timeout (a request renews it)
          await().atMost(Duration.ofSeconds(20)).pollDelay(Duration.ofSeconds(3)).pollInterval(Duration.ofSeconds(3))
              .until(() -> mcp(gw, PING, session, null).statusCode() == 404);
        }),
        new Row("MCPGW_DATABASE_POOL_SIZE", Map.of("MCPGW_DATABASE_POOL_SIZE", "2"), gw -> {
          String scrape = gw.send("GET", "/metrics", gw.platformAdminToken(), null).body();
          assertThat(scrape).containsPattern("db_client_connection_max\\{[^}]*} 2(\\.0)?\\b");
        })).map(Arguments::of);
  }

  private static HttpRequest basic(TestGateway gw, String path, String user) {
    String credentials = Base64.getEncoder().encodeToString((user + ":admin-pw").getBytes(StandardCharsets.UTF_8));
    return HttpRequest.newBuilder(URI.create(gw.base + path)).header("Authorization", "Basic " + credentials)
        .timeout(Duration.ofSeconds(30)).GET().build();
  }

  private static HttpResponse<String> mcp(TestGateway gw, String body, String session, String origin) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.base + "/mcp")).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
        .header("Authorization", "Bearer " + gw.userToken()).POST(HttpRequest.BodyPublishers.ofString(body));
    if (session != null) {
      b.header("Mcp-Session-Id", session);
      b.header("MCP-Protocol-Version", "2025-11-25");
    }
    if (origin != null) {
      b.header("Origin", origin);
    }
    return gw.send(b.build());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void theSettingActsOnARunningGateway(Row row) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve(row.key()));
    GatewaySettings settings = TestGateway.settings(dir,
        new GatewaySettings.Database("jdbc:sqlite:" + dir.resolve("reg.db"), null, null, 4), row.env());
    Observability observability = Observability.builder(ObservabilityConfigLoader.load(Map.of(
        "OTEL_TRACES_EXPORTER", "none", "OTEL_LOGS_EXPORTER", "none", "OTEL_METRICS_EXPORTER", "prometheus"), null))
        .build();
    try (TestGateway gw = TestGateway.start(settings,
        GatewayApplication.Parts.production().withObservability(s -> observability))) {
      row.check().observe(gw);
    } finally {
      observability.shutdown();
    }
  }
}
