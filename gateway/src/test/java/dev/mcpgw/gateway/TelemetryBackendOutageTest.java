package dev.mcpgw.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.mcpgw.gateway.config.GatewaySettings;
import dev.mcpgw.gateway.testing.EverythingServer;
import dev.mcpgw.observability.Observability;
import dev.mcpgw.observability.config.ObservabilityConfigLoader;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real gateway whose spans, metrics and logs all go to an OTLP backend that accepts connections and never answers
 * in time: every MCP call still succeeds, the log queue never holds more than its capacity, what the log pipeline
 * loses is counted, and each signal's export failures are on {@code /metrics} (ADR 0028).
 */
class TelemetryBackendOutageTest {

  private static final int LOG_QUEUE = 8;

  @TempDir Path tmp;

  @Test
  void callsSucceedAndEverySignalsLossIsCountedWhileTheOtlpBackendHangs() throws Exception {
    CountDownLatch hang = new CountDownLatch(1);
    AtomicInteger exportsSeen = new AtomicInteger();
    HttpServer backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    backend.setExecutor(Executors.newFixedThreadPool(4));
    backend.createContext("/", exchange -> {
      exportsSeen.incrementAndGet();
      try {
        hang.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.sendResponseHeaders(503, -1);
      exchange.close();
    });
    backend.start();
    String endpoint = "http://127.0.0.1:" + backend.getAddress().getPort();
    Map<String, String> otel = Map.ofEntries(Map.entry("OTEL_TRACES_EXPORTER", "otlp"),
        Map.entry("OTEL_METRICS_EXPORTER", "prometheus,otlp"), Map.entry("OTEL_LOGS_EXPORTER", "otlp"),
        Map.entry("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint), Map.entry("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
        Map.entry("OTEL_EXPORTER_OTLP_TIMEOUT", "300"), Map.entry("OTEL_METRIC_EXPORT_INTERVAL", "200"),
        Map.entry("OTEL_BLRP_MAX_QUEUE_SIZE", Integer.toString(LOG_QUEUE)),
        Map.entry("OTEL_BLRP_MAX_EXPORT_BATCH_SIZE", "2"), Map.entry("OTEL_BLRP_SCHEDULE_DELAY", "10"));
    try (EverythingServer everything = EverythingServer.start(EverythingServer.Mode.STREAMABLE_HTTP, tmp);
        Observability observability = Observability.create(ObservabilityConfigLoader.load(otel, null))) {
      GatewaySettings settings = TestGateway.settings(tmp,
          new GatewaySettings.Database("jdbc:sqlite:" + tmp.resolve("reg.db"), null, null, 4),
          Map.of("MCPGW_ACCESS_LOG", "true"));
      try (TestGateway gw = TestGateway.start(settings,
          GatewayApplication.Parts.production().withObservability(s -> observability))) {
        gw.post("/gateways", "{\"name\":\"everything\",\"transport\":\"streamablehttp\",\"url\":\"http://127.0.0.1:"
            + everything.port() + "/mcp\"}", gw.adminToken());
        McpRpc rpc = new McpRpc(gw, gw.userToken());
        for (int i = 0; i < 40; i++) {
          JsonNode answer = rpc.call("tools/call",
              "{\"name\":\"everything-echo\",\"arguments\":{\"message\":\"m" + i + "\"}}");
          assertThat(answer.path("error").isMissingNode()).as(answer.toString()).isTrue();
          assertThat(answer.path("result").path("content").get(0).path("text").asText()).contains("m" + i);
        }

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
          String text = gw.send("GET", "/metrics", gw.platformAdminToken(), null).body();
          assertThat(sum(text, "otel_sdk_processor_log_queue_capacity", "")).isEqualTo(LOG_QUEUE);
          assertThat(sum(text, "otel_sdk_processor_log_queue_size", "")).isBetween(0L, (long) LOG_QUEUE);
          assertThat(sum(text, "otel_sdk_processor_log_processed_total", "error_type=\"queue_full\""))
              .as("log records dropped because the queue was full").isPositive();
          assertThat(sum(text, "otel_sdk_exporter_log_exported_total", "error_type="))
              .as("log records whose export timed out").isPositive();
          assertThat(sum(text, "otel_sdk_exporter_metric_data_point_exported_total", "error_type="))
              .as("metric data points whose export timed out").isPositive();
          assertThat(sum(text, "otel_sdk_exporter_span_exported_total", "error_type="))
              .as("spans whose export timed out").isPositive();
        });
        assertThat(exportsSeen.get()).as("the backend was tried").isPositive();
      }
    } finally {
      hang.countDown();
      backend.stop(0);
      ((java.util.concurrent.ExecutorService) backend.getExecutor()).shutdownNow();
    }
  }

  /** The sum of a family's samples whose labels contain {@code labelPart}. */
  private static long sum(String exposition, String family, String labelPart) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(family) + "(\\{[^}]*})? (\\S+)").matcher(exposition);
    long total = 0;
    while (m.find()) {
      if ((m.group(1) == null ? "" : m.group(1)).contains(labelPart)) {
        total += (long) Double.parseDouble(m.group(2));
      }
    }
    return total;
  }
}
