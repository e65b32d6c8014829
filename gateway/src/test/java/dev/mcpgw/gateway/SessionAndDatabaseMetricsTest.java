package dev.mcpgw.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mcpgw.gateway.config.GatewaySettings;
import dev.mcpgw.observability.Observability;
import dev.mcpgw.observability.config.ObservabilityConfigLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The session and database metrics of a real gateway (production parts, Prometheus exporter): a client session that
 * is deleted is measured by {@code mcp.server.session.duration} and leaves {@code mcpgw.sessions.active}; the
 * registry's statements are timed by {@code db.client.operation.duration} with the database conventions' labels.
 */
class SessionAndDatabaseMetricsTest {
  @TempDir Path tmp;
  Observability observability;
  TestGateway gw;

  /** The gateway with production parts and its metrics on {@code /metrics} (Prometheus). */
  @BeforeEach
  void start() throws Exception {
    Map<String, String> otel = Map.of("OTEL_METRICS_EXPORTER", "prometheus", "OTEL_TRACES_EXPORTER", "none",
        "OTEL_LOGS_EXPORTER", "none");
    observability = Observability.builder(ObservabilityConfigLoader.load(otel, null)).build();
    gw = TestGateway.start(TestGateway.settings(tmp,
        new GatewaySettings.Database("jdbc:sqlite:" + tmp.resolve("reg.db"), null, null, 4), Map.of()),
        GatewayApplication.Parts.production().withObservability(s -> observability));
  }

  @AfterEach
  void stop() throws Exception {
    try {
      if (gw != null) {
        gw.close();
      }
    } finally {
      observability.close();
    }
  }

  private String scrape() throws Exception {
    return gw.send("GET", "/metrics", gw.platformAdminToken(), null).body();
  }

  @Test
  void aDeletedSessionIsMeasuredByTransportAndReasonAndNoLongerCountsAsActive() throws Exception {
    McpRpc rpc = new McpRpc(gw, gw.userToken());
    new McpRpc(gw, gw.userToken());
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(scrape())
        .containsPattern("mcpgw_sessions_active\\{[^}]*mcpgw_transport=\"streamable_http\"[^}]*} 2\\b"));

    assertThat(rpc.end()).isLessThan(300);

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      String metrics = scrape();
      assertThat(metrics).containsPattern("mcp_server_session_duration_seconds_count\\{[^}]*"
          + "mcp_protocol_version=\"2025-11-25\"[^}]*mcpgw_session_end_reason=\"deleted\"[^}]*"
          + "mcpgw_transport=\"streamable_http\"[^}]*} 1\\b");
      assertThat(metrics)
          .containsPattern("mcpgw_sessions_active\\{[^}]*mcpgw_transport=\"streamable_http\"[^}]*} 1\\b");
    });
  }

  @Test
  void registryStatementsAreTimedBySystemOperationAndTable() throws Exception {
    gw.get("/servers", gw.adminToken());

    String metrics = scrape();
    assertThat(metrics).containsPattern("db_client_operation_duration_seconds_count\\{[^}]*"
        + "db_collection_name=\"servers\"[^}]*db_operation_name=\"SELECT\"[^}]*db_system_name=\"sqlite\"");
    assertThat(metrics).doesNotContain("db_query_text");
  }
}
