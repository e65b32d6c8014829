package dev.mcpgw.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgw.gateway.config.GatewaySettings;
import dev.mcpgw.gateway.testing.EverythingServer;
import dev.mcpgw.gateway.testing.FaultyHttpProxy;
import dev.mcpgw.observability.Observability;
import dev.mcpgw.observability.config.ObservabilityConfigLoader;
import dev.mcpgw.observability.semconv.McpAttributes;
import dev.mcpgw.observability.semconv.UpstreamAttributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The second "Done when", through a real gateway (production parts, spans to memory) in front of the real
 * server-everything behind a proxy that can be shut: a tool call the upstream fails, then calls to an upstream that
 * stopped answering (each retry shows, the call ends as a timeout), then the circuit breaker opening and refusing; and a
 * call a plugin blocks.
 */
class FailingCallTracesTest {
  @TempDir static Path peers;
  @TempDir Path tmp;
  static EverythingServer everything;
  final InMemorySpanExporter memory = InMemorySpanExporter.create();
  Observability observability;
  FaultyHttpProxy proxy;
  TestGateway gw;

  @BeforeAll
  static void startUpstream() {
    everything = EverythingServer.start(EverythingServer.Mode.STREAMABLE_HTTP, peers);
  }

  @AfterAll
  static void stopUpstream() {
    everything.close();
  }

  @BeforeEach
  void start() throws Exception {
    Files.createDirectories(tmp.resolve("config"));
    Files.writeString(tmp.resolve("config/mcpgw.yaml"), """
        plugins:
          - name: deny
            kind: deny_list
            priority: 10
            config:
              tools: ["*-get-env"]
        """);
    observability = Observability.builder(ObservabilityConfigLoader.load(Map.of("OTEL_METRICS_EXPORTER", "none",
        "OTEL_TRACES_EXPORTER", "none", "OTEL_LOGS_EXPORTER", "none", "OTEL_BSP_SCHEDULE_DELAY", "10"), null))
        .addSpanExporter("memory", memory).build();
    proxy = FaultyHttpProxy.start("http://127.0.0.1:" + everything.port());
    GatewaySettings settings = TestGateway.settings(tmp,
        new GatewaySettings.Database("jdbc:sqlite:" + tmp.resolve("reg.db"), null, null, 4),
        Map.of("MCPGW_UPSTREAM_REQUEST_TIMEOUT", "1500ms", "MCPGW_UPSTREAM_MAX_RETRIES", "10",
            "MCPGW_UPSTREAM_RETRY_BACKOFF", "100ms", "MCPGW_UPSTREAM_BREAKER_FAILURES", "12",
            "MCPGW_UPSTREAM_BREAKER_OPEN", "1m"));
    gw = TestGateway.start(settings, GatewayApplication.Parts.production().withObservability(s -> observability));
    gw.post("/gateways", "{\"name\":\"everything\",\"transport\":\"streamablehttp\",\"url\":\"" + proxy.url("/mcp")
        + "\"}");
  }

  @AfterEach
  void stop() {
    if (gw != null) {
      gw.close();
    }
    proxy.close();
  }

  private List<SpanData> spans() {
    observability.forceFlush(Duration.ofSeconds(10));
    return memory.getFinishedSpanItems();
  }

  /** The CLIENT spans of tools/call echo, in the order they ended. */
  private List<SpanData> echoCalls() {
    return spans().stream().filter(s -> s.getKind() == SpanKind.CLIENT && s.getName().equals("tools/call echo"))
        .toList();
  }

  private SpanData awaitEchoCall(int n) {
    await().atMost(Duration.ofSeconds(10)).until(() -> echoCalls().size() >= n);
    return echoCalls().get(n - 1);
  }

  private static List<EventData> events(SpanData span, String name) {
    return span.getEvents().stream().filter(e -> e.getName().equals(name)).toList();
  }

  @Test
  void anUpstreamErrorThenTimeoutsWithRetriesThenAnOpenBreakerEachShowInTheCallsTrace() throws Exception {
    McpRpc rpc = new McpRpc(gw, gw.userToken());

    // 1. the upstream answers, with an error: the tool's input is invalid
    JsonNode invalid = rpc.call("tools/call", "{\"name\":\"everything-echo\",\"arguments\":{}}");
    assertThat(invalid.at("/result/isError").asBoolean()).isTrue();
    SpanData toolError = awaitEchoCall(1);
    assertThat(toolError.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(toolError.getAttributes().get(McpAttributes.ERROR_TYPE)).isEqualTo("tool_error");
    SpanData forward = spans().stream().filter(s -> s.getSpanId().equals(toolError.getParentSpanId())).findFirst()
        .orElseThrow();
    assertThat(forward.getName()).isEqualTo("gateway.forward");
    assertThat(forward.getAttributes().get(UpstreamAttributes.PEER_SERVICE)).isEqualTo("everything");

    // 2. the upstream's port now refuses connections: each attempt fails at once and is retried after a backoff,
    // until the call's 1.5 s run out
    proxy.close();
    JsonNode timedOut = rpc.call("tools/call", "{\"name\":\"everything-echo\",\"arguments\":{\"message\":\"x\"}}");
    assertThat(timedOut.at("/error/data/kind").asText()).isEqualTo("TIMEOUT");
    SpanData retried = awaitEchoCall(2);
    assertThat(retried.getAttributes().get(McpAttributes.ERROR_TYPE)).isEqualTo("timeout");
    List<EventData> retries = events(retried, "retry");
    assertThat(retries).isNotEmpty();
    assertThat(retries).extracting(e -> e.getAttributes().get(UpstreamAttributes.RETRY_ATTEMPT))
        .isEqualTo(java.util.stream.LongStream.rangeClosed(1, retries.size()).boxed().toList());
    assertThat(retries).allSatisfy(e -> {
      assertThat(e.getAttributes().get(McpAttributes.ERROR_TYPE)).isEqualTo("unavailable");
      assertThat(e.getAttributes().get(UpstreamAttributes.RETRY_BACKOFF_MS)).isGreaterThanOrEqualTo(0L);
    });
    assertThat(retried.getAttributes().get(UpstreamAttributes.RETRY_COUNT)).isEqualTo((long) retries.size());
    assertThat(retried.getAttributes().get(UpstreamAttributes.CIRCUIT_BREAKER_STATE)).isEqualTo("CLOSED");

    // 3. more such calls: twelve failed attempts in a row open the breaker, which then refuses calls outright
    JsonNode answer = timedOut;
    for (int i = 0; i < 10 && !answer.at("/error/data/kind").asText().equals("CIRCUIT_OPEN"); i++) {
      answer = rpc.call("tools/call", "{\"name\":\"everything-echo\",\"arguments\":{\"message\":\"x\"}}");
    }
    assertThat(answer.at("/error/data/kind").asText()).isEqualTo("CIRCUIT_OPEN");
    assertThat(answer.at("/error/message").asText()).contains("circuit breaker");
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(echoCalls()).anySatisfy(s ->
        assertThat(events(s, "circuit_breaker.state_change")).anySatisfy(e -> {
          assertThat(e.getAttributes().get(UpstreamAttributes.CIRCUIT_BREAKER_FROM)).isEqualTo("CLOSED");
          assertThat(e.getAttributes().get(UpstreamAttributes.CIRCUIT_BREAKER_TO)).isEqualTo("OPEN");
        })));
    SpanData refused = echoCalls().getLast();
    assertThat(refused.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(refused.getAttributes().get(McpAttributes.ERROR_TYPE)).isEqualTo("circuit_open");
    assertThat(refused.getAttributes().get(UpstreamAttributes.CIRCUIT_BREAKER_STATE)).isEqualTo("OPEN");
    assertThat(refused.getStatus().getDescription()).contains("circuit breaker opened after 12 failures");
  }
}
