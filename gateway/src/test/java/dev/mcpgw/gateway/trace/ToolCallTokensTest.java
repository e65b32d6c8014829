package dev.mcpgw.gateway.trace;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.auth.Caller;
import dev.mcpgw.gateway.mcp.Downstream;
import dev.mcpgw.gateway.mcp.Exchange;
import dev.mcpgw.gateway.mcp.MessageDispatch;
import dev.mcpgw.gateway.usage.TokenCounter;
import dev.mcpgw.observability.semconv.GatewayAttributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.Test;

/** The token counts of a tool call on its MCP SERVER span, counted off the request thread. */
class ToolCallTokensTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Exchange EXCHANGE = new Exchange(new Caller("alice", "acme", false), "req-1",
      dev.mcpgw.gateway.catalog.Scope.ALL, "session-1", Downstream.NONE);

  private static ObjectNode json(String text) {
    try {
      return (ObjectNode) JSON.readTree(text);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static MessageDispatch traced(RecordingTracing tracing, TokenCounter counter, String response) {
    return GatewayTelemetry.create(tracing.observability()).dispatch(counter).apply((m, e) -> json(response));
  }

  @Test
  void aToolCallsSpanCarriesTheTokensOfItsArgumentsAndResultAndTheEncoding() {
    TokenCounter counter = TokenCounter.create("o200k_base");
    try (RecordingTracing tracing = RecordingTracing.start()) {
      ObjectNode response = traced(tracing, counter,
          "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"hello world\"}]}}")
          .dispatch(json("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\","
              + "\"arguments\":{\"message\":\"hello world\"}}}"), EXCHANGE);
      assertThat(response.at("/result/content/0/text").asText()).isEqualTo("hello world");

      SpanData span = tracing.await("tools/call echo", SpanKind.SERVER);
      assertThat(span.getAttributes().get(GatewayAttributes.TOOL_RESULT_TOKENS)).isEqualTo(2L);
      assertThat(span.getAttributes().get(GatewayAttributes.TOOL_ARGUMENTS_TOKENS))
          .isEqualTo(counter.count("{\"message\":\"hello world\"}")).isPositive();
      assertThat(span.getAttributes().get(GatewayAttributes.TOOL_TOKENS_ENCODING)).isEqualTo("o200k_base");
      assertThat(span.getEndEpochNanos()).isGreaterThanOrEqualTo(span.getStartEpochNanos());
    }
  }

  @Test
  void aFailedCallCountsItsArgumentsOnlyAndOtherMethodsNothing() {
    try (RecordingTracing tracing = RecordingTracing.start()) {
      TokenCounter counter = TokenCounter.create("cl100k_base");
      traced(tracing, counter, "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32602,\"message\":\"no\"}}")
          .dispatch(json("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\","
              + "\"arguments\":{\"message\":\"hi\"}}}"), EXCHANGE);
      traced(tracing, counter, "{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{}}")
          .dispatch(json("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}"), EXCHANGE);

      SpanData call = tracing.await("tools/call echo", SpanKind.SERVER);
      assertThat(call.getAttributes().get(GatewayAttributes.TOOL_ARGUMENTS_TOKENS)).isPositive();
      assertThat(call.getAttributes().get(GatewayAttributes.TOOL_RESULT_TOKENS)).isNull();
      assertThat(call.getAttributes().get(GatewayAttributes.TOOL_TOKENS_ENCODING)).isEqualTo("cl100k_base");
      assertThat(tracing.await("ping", SpanKind.SERVER).getAttributes().get(GatewayAttributes.TOOL_ARGUMENTS_TOKENS))
          .isNull();
    }
  }
}
