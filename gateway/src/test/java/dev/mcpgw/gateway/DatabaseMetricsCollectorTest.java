package dev.mcpgw.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mcpgw.gateway.config.GatewaySettings;
import dev.mcpgw.observability.Observability;
import dev.mcpgw.observability.config.ObservabilityConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code database} metrics collector ({@code observability.metrics.collectors[]}) acts: on by default, the
 * registry's statements are measured ({@code db.client.operation.duration} on {@code /metrics}); switched off, they
 * are not, while the other collectors still record. It was documented but read by nothing before issue 11.
 */
class DatabaseMetricsCollectorTest {
  @TempDir Path tmp;

  private String scrape(String yaml) throws Exception {
    Path file = null;
    if (yaml != null) {
      file = tmp.resolve("observability.yaml");
      Files.writeString(file, yaml);
    }
    Observability observability = Observability.builder(ObservabilityConfigLoader.load(Map.of(
        "OTEL_TRACES_EXPORTER", "none", "OTEL_LOGS_EXPORTER", "none", "OTEL_METRICS_EXPORTER", "prometheus"), file))
        .build();
    GatewaySettings settings = TestGateway.settings(tmp,
        new GatewaySettings.Database("jdbc:sqlite:" + tmp.resolve("reg.db"), null, null, 4), Map.of());
    try (TestGateway gw = TestGateway.start(settings,
        GatewayApplication.Parts.production().withObservability(s -> observability))) {
      gw.get("/gateways");
      return gw.send("GET", "/metrics", gw.platformAdminToken(), null).body();
    } finally {
      observability.shutdown();
    }
  }

  @Test
  void byDefaultTheRegistrysConnectionPoolIsMeasured() throws Exception {
    assertThat(scrape(null)).contains("db_client_connection_max{");
  }

  @Test
  void theDatabaseCollectorSwitchedOffMeasuresNoPoolButTheOtherCollectorsStillRecord() throws Exception {
    String body = scrape("""
        observability:
          metrics:
            collectors:
              - name: database
                enabled: false
        """);
    assertThat(body).doesNotContain("db_client_connection").contains("jvm_memory_used");
  }
}
