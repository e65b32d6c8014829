package dev.mcpgw.gateway.federation;

import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.config.GatewaySettings;
import dev.mcpgw.gateway.store.Database;
import dev.mcpgw.gateway.trace.GatewayTelemetry;
import dev.mcpgw.gateway.trace.RecordingTracing;
import dev.mcpgw.observability.semconv.GatewayAttributes;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Health-check rounds and reconnect-all as one parent span with a child per upstream (and the registry's queries). */
class GatewayServiceBatchSpansTest {
  private static final GatewaySettings.Upstream TIMEOUTS = new GatewaySettings.Upstream(Duration.ofSeconds(2),
      Duration.ofSeconds(2), 0, Duration.ofMillis(10), 3, Duration.ofSeconds(1));

  @TempDir Path tmp;
  private final RecordingTracing tracing = RecordingTracing.start();
  private Database db;
  private ScriptedUpstreamPool pool;
  private GatewayService service;

  @BeforeEach
  void open() throws Exception {
    GatewayTelemetry telemetry = GatewayTelemetry.create(tracing.observability());
    db = Database.open(new GatewaySettings.Database("jdbc:sqlite:" + tmp.resolve("t.db"), null, null, 2),
        telemetry.dataSource());
    pool = new ScriptedUpstreamPool();
    service = GatewayService.builder(db, pool, TIMEOUTS).batches(telemetry.batches()).build();
    pool.upstream("alpha").tools("[{\"name\":\"echo\"}]");
    pool.upstream("beta").tools("[{\"name\":\"add\"}]");
    service.register(body("{\"name\":\"alpha\",\"transport\":\"streamablehttp\",\"url\":\"http://127.0.0.1:9/a\"}"));
    service.register(body("{\"name\":\"beta\",\"transport\":\"streamablehttp\",\"url\":\"http://127.0.0.1:9/b\"}"));
    tracing.reset();
  }

  @AfterEach
  void close() {
    service.close();
    pool.close();
    db.close();
    tracing.close();
  }

  private static ObjectNode body(String json) throws Exception {
    return (ObjectNode) ScriptedUpstreamPool.JSON.readTree(json);
  }

  @Test
  void aHealthCheckRoundIsOneSpanWithAChildPerUpstreamAndTheFailedOneMarked() {
    pool.upstream("beta").pingFails(true).unreachable(true);

    service.checkHealth();

    SpanData round = tracing.await("gateway.health_check_round", SpanKind.INTERNAL);
    assertThat(round).hasAttribute(AttributeKey.longKey("mcpgw.batch.size"), 2L)
        .hasAttribute(AttributeKey.longKey("mcpgw.batch.failed"), 1L);
    assertThat(round.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    List<SpanData> children = tracing.children(round);
    List<SpanData> checks = children.stream().filter(s -> s.getName().equals("gateway.health_check")).toList();
    assertThat(checks).extracting(s -> s.getAttributes().get(GatewayAttributes.GATEWAY_NAME))
        .containsExactlyInAnyOrder("alpha", "beta");
    assertThat(checks).filteredOn(s -> s.getStatus().getStatusCode() == StatusCode.ERROR)
        .extracting(s -> s.getAttributes().get(GatewayAttributes.GATEWAY_NAME)).containsExactly("beta");
    // listing the upstreams is the round's own database query
    assertThat(children).anySatisfy(s -> assertThat(s.getKind()).isEqualTo(SpanKind.CLIENT));
  }

  @Test
  void reconnectAllEndsItsSpanOnlyWhenTheLastBackgroundReconnectFinished() {
    pool.close(); // as at start-up: stored, not connected
    service.reconnectAll();

    SpanData all = tracing.await("gateway.reconnect_all", SpanKind.INTERNAL);
    List<SpanData> reconnects = tracing.children(all).stream().filter(s -> s.getName().equals("gateway.reconnect"))
        .toList();
    assertThat(reconnects).hasSize(2);
    assertThat(reconnects).allSatisfy(r -> assertThat(r.getEndEpochNanos()).isLessThanOrEqualTo(all.getEndEpochNanos()));
    assertThat(all).hasAttribute(AttributeKey.longKey("mcpgw.batch.size"), 2L);
    assertThat(all.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
  }

  @Test
  void withoutTracingTheBatchesRunPlainly() {
    GatewayTelemetry off = GatewayTelemetry.create(dev.mcpgw.observability.Observability.noop());
    assertThat(off.batches()).isSameAs(BatchTracer.NONE);
    boolean[] ran = {false};
    try (BatchTracer.Batch batch = off.batches().begin("x")) {
      batch.item("y", "id", "name", () -> ran[0] = true).run();
    }
    assertThat(ran[0]).isTrue();
  }
}
