package dev.mcpgw.gateway.trace;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.auth.Caller;
import dev.mcpgw.gateway.mcp.Downstream;
import dev.mcpgw.gateway.mcp.Exchange;
import dev.mcpgw.gateway.mcp.MessageDispatch;
import dev.mcpgw.gateway.usage.Accounted;
import dev.mcpgw.gateway.usage.Pricing;
import dev.mcpgw.gateway.usage.TokenCounter;
import dev.mcpgw.observability.semconv.GatewayAttributes;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A sampled tool call's span takes its token counts and cost from the usage store's accounting of the same call
 * instead of counting them again, and ends only once both the call and its accounting are done.
 */
class SharedToolCallCountsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Exchange EXCHANGE = new Exchange(new Caller("alice", "acme", false), "req-1",
      dev.mcpgw.gateway.catalog.Scope.ALL, "session-1", Downstream.NONE);
  private static final String CALL = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":"
      + "\"echo\",\"arguments\":{\"message\":\"hello world\"}}}";
  private static final String ANSWER =
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"hello world\"}]}}";

  private static ObjectNode json(String text) {
    try {
      return (ObjectNode) JSON.readTree(text);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static Accounted accounted(boolean answered) {
    return new Accounted("acme", "alice", "echo", "up", "gpt-4.1", true, 1_000_000L, 7, answered ? 3 : 0, null, 0, 0,
        0.000062, System.currentTimeMillis(), answered);
  }

  /** The dispatch as the usage store sees it: it takes the call on the request thread, as UsageAccountant does. */
  private static MessageDispatch dispatch(RecordingTracing tracing, AtomicReference<Consumer<Accounted>> taken) {
    GatewayTelemetry telemetry = GatewayTelemetry.create(tracing.observability());
    return telemetry.dispatch(TokenCounter.create("o200k_base"), Pricing.load(Path.of("..", "config",
        "pricing.example.yaml"))).apply((m, e) -> {
          taken.set(telemetry.toolCallSpans().get());
          return json(ANSWER);
        });
  }

  @Test
  void theSpanEndsWithTheStoresCountsOnceTheCallIsAccounted() {
    try (RecordingTracing tracing = RecordingTracing.start()) {
      AtomicReference<Consumer<Accounted>> taken = new AtomicReference<>();
      dispatch(tracing, taken).dispatch(json(CALL), EXCHANGE);
      assertThat(taken.get()).isNotNull();
      assertThat(tracing.spans()).as("not ended before the store accounted the call")
          .noneMatch(s -> s.getName().equals("tools/call echo"));

      Thread.ofPlatform().start(() -> taken.get().accept(accounted(true)));

      SpanData span = tracing.await("tools/call echo", SpanKind.SERVER);
      assertThat(span.getAttributes().get(GatewayAttributes.TOOL_ARGUMENTS_TOKENS)).isEqualTo(7L);
      assertThat(span.getAttributes().get(GatewayAttributes.TOOL_RESULT_TOKENS)).isEqualTo(3L);
      assertThat(span.getAttributes().get(GatewayAttributes.TOOL_TOKENS_ENCODING)).isEqualTo("o200k_base");
      assertThat(span.getAttributes().get(AttributeKey.doubleKey("mcpgw.usage.cost"))).isEqualTo(0.000062);
      assertThat(span.getAttributes().get(AttributeKey.stringKey("gen_ai.request.model"))).isEqualTo("gpt-4.1");
    }
  }

  @Test
  void aCallAccountedBeforeItsAnswerWasSentEndsItsSpanWithTheCallAndOneTheStoreDroppedEndsWithoutCounts() {
    try (RecordingTracing tracing = RecordingTracing.start()) {
      GatewayTelemetry telemetry = GatewayTelemetry.create(tracing.observability());
      telemetry.dispatch(TokenCounter.create("o200k_base"), Pricing.NONE).apply((m, e) -> {
        telemetry.toolCallSpans().get().accept(accounted(false));
        return json("{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32603,\"message\":\"down\"}}");
      }).dispatch(json(CALL), EXCHANGE);

      SpanData failed = tracing.await("tools/call echo", SpanKind.SERVER);
      assertThat(failed.getAttributes().get(GatewayAttributes.TOOL_ARGUMENTS_TOKENS)).isEqualTo(7L);
      assertThat(failed.getAttributes().get(GatewayAttributes.TOOL_RESULT_TOKENS)).isNull();
      assertThat(failed.getAttributes().get(AttributeKey.doubleKey("mcpgw.usage.cost"))).as("no pricing file").isNull();
      tracing.reset();

      AtomicReference<Consumer<Accounted>> taken = new AtomicReference<>();
      dispatch(tracing, taken).dispatch(json(CALL), EXCHANGE);
      taken.get().accept(null);
      SpanData dropped = tracing.await("tools/call echo", SpanKind.SERVER);
      assertThat(dropped.getAttributes().get(GatewayAttributes.TOOL_ARGUMENTS_TOKENS)).isNull();
    }
  }
}
