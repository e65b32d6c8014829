package dev.mcpgw.gateway.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.mcpgw.gateway.mcp.ForwardTracing;
import dev.mcpgw.gateway.jsonrpc.RpcException;
import dev.mcpgw.observability.Observability;
import dev.mcpgw.observability.config.ObservabilityConfigLoader;
import dev.mcpgw.observability.semconv.McpAttributes;
import dev.mcpgw.observability.semconv.UpstreamAttributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ForwardSpansTest {
  private final InMemorySpanExporter memory = InMemorySpanExporter.create();
  private final Observability observability = Observability.builder(ObservabilityConfigLoader.load(Map.of(
      "OTEL_METRICS_EXPORTER", "none", "OTEL_TRACES_EXPORTER", "none", "OTEL_LOGS_EXPORTER", "none"), null))
      .addSpanExporter("memory", memory).build();
  private final ForwardTracing forwarding = GatewayTelemetry.create(observability).forwarding();

  @AfterEach
  void shutdown() {
    observability.shutdown();
  }

  private List<SpanData> spans() {
    observability.forceFlush(Duration.ofSeconds(10));
    return memory.getFinishedSpanItems();
  }

  private SpanData named(String name) {
    return spans().stream().filter(s -> s.getName().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void whatIsForwardedRunsInsideAGatewayForwardSpanNamingThePeer() {
    String answer = forwarding.around("gateway-b", "tools/call", () -> {
      observability.tracer().spanBuilder("tools/call echo").setSpanKind(SpanKind.CLIENT).startSpan().end();
      return "result";
    });

    assertThat(answer).isEqualTo("result");
    SpanData forward = named("gateway.forward");
    assertThat(forward.getKind()).isEqualTo(SpanKind.INTERNAL);
    assertThat(forward.getAttributes().get(UpstreamAttributes.PEER_SERVICE)).isEqualTo("gateway-b");
    assertThat(forward.getAttributes().get(UpstreamAttributes.UPSTREAM_NAME)).isEqualTo("gateway-b");
    assertThat(forward.getAttributes().get(McpAttributes.MCP_METHOD_NAME)).isEqualTo("tools/call");
    assertThat(named("tools/call echo").getParentSpanId()).isEqualTo(forward.getSpanId());
    assertThat(forward.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(Span.current().getSpanContext().isValid()).as("the span is current only inside").isFalse();
  }

  @Test
  void aServerRequestRelayedFromAnotherThreadDuringTheCallIsInTheCallsTrace() throws Exception {
    java.util.concurrent.atomic.AtomicReference<java.util.function.Function<
        java.util.function.Supplier<java.util.concurrent.CompletableFuture<com.fasterxml.jackson.databind.JsonNode>>,
        java.util.concurrent.CompletableFuture<com.fasterxml.jackson.databind.JsonNode>>> captured =
        new java.util.concurrent.atomic.AtomicReference<>();
    forwarding.around("everything", "tools/call", () -> {
      captured.set(forwarding.relayedFromHere());
      return null;
    });
    // the upstream's sampling/createMessage arrives on the upstream client's thread, where nothing is current
    Thread relay = Thread.ofVirtual().start(() -> captured.get().apply(() -> forwarding.serverRequest(
        "sampling/createMessage", com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode(),
        () -> java.util.concurrent.CompletableFuture.completedFuture(
            com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("model", "m")))));
    relay.join();

    SpanData forward = named("gateway.forward");
    SpanData chat = named("chat");
    assertThat(chat.getTraceId()).isEqualTo(forward.getTraceId());
    assertThat(chat.getParentSpanId()).isEqualTo(forward.getSpanId());
  }

  @Test
  void aFailedForwardCarriesTheJsonRpcCodeAndTheErrorGoesOnUnchanged() {
    RpcException refused = new RpcException(RpcException.INTERNAL_ERROR, "upstream 'gateway-b' did not answer", null);

    Throwable thrown = catchThrowable(() -> forwarding.around("gateway-b", "tools/call", () -> {
      throw refused;
    }));

    assertThat(thrown).isSameAs(refused);
    SpanData forward = named("gateway.forward");
    assertThat(forward.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(forward.getStatus().getDescription()).isEqualTo("upstream 'gateway-b' did not answer");
    assertThat(forward.getAttributes().get(McpAttributes.ERROR_TYPE)).isEqualTo("-32603");
  }

  @Test
  void aForwardThatThrowsSomethingElseIsRecordedAndRethrown() {
    IllegalStateException bug = new IllegalStateException("broken client");

    Throwable thrown = catchThrowable(() -> forwarding.around("b", "prompts/get", () -> {
      throw bug;
    }));

    assertThat(thrown).isSameAs(bug);
    SpanData forward = named("gateway.forward");
    assertThat(forward.getAttributes().get(McpAttributes.ERROR_TYPE)).isEqualTo(IllegalStateException.class.getName());
    assertThat(forward.getEvents()).extracting(e -> e.getName()).contains("exception");
  }

  @Test
  void disabledObservabilityForwardsWithoutASpan() {
    assertThat(GatewayTelemetry.create(Observability.noop()).forwarding()).isSameAs(ForwardTracing.NONE);
    assertThat(ForwardTracing.NONE.around("b", "tools/call", () -> 42)).isEqualTo(42);
  }
}
