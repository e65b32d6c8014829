package dev.mcpgw.gateway.trace;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.mcp.ForwardTracing;
import dev.mcpgw.gateway.upstream.UpstreamException;
import dev.mcpgw.gateway.usage.TokenCounter;
import dev.mcpgw.observability.semconv.GatewayAttributes;
import dev.mcpgw.observability.semconv.GenAiAttributes;
import dev.mcpgw.observability.semconv.McpAttributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The CLIENT spans of server-to-client requests the gateway relays to its client. */
class ServerRequestSpansTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TokenCounter TOKENS = TokenCounter.create("o200k_base");

  private static ObjectNode json(String text) {
    try {
      return (ObjectNode) JSON.readTree(text);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aRelayedSamplingRequestIsAGenAiChatSpanWithModelsAndEstimatedTokens() {
    try (RecordingTracing tracing = RecordingTracing.start(Map.of("OTEL_CAPTURE_PAYLOADS", "true"))) {
      ForwardTracing forwarding = GatewayTelemetry.create(tracing.observability()).forwarding(TOKENS);
      ObjectNode params = json("{\"messages\":[{\"role\":\"user\",\"content\":{\"type\":\"text\",\"text\":\"hello world\"}}],"
          + "\"systemPrompt\":\"hello world\",\"maxTokens\":100,"
          + "\"modelPreferences\":{\"hints\":[{\"name\":\"claude-sonnet-4-5\"}]}}");
      JsonNode answer = forwarding.serverRequest("sampling/createMessage", params,
          () -> CompletableFuture.completedFuture(json("{\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\","
              + "\"content\":{\"type\":\"text\",\"text\":\"hello world hello world\"},\"stopReason\":\"endTurn\"}")))
          .join();
      assertThat(answer.path("model").asText()).isEqualTo("claude-sonnet-4-5-20250929");

      SpanData span = tracing.await("chat claude-sonnet-4-5", SpanKind.CLIENT);
      assertThat(span.getAttributes().get(GenAiAttributes.GEN_AI_OPERATION_NAME)).isEqualTo("chat");
      assertThat(span.getAttributes().get(GenAiAttributes.GEN_AI_REQUEST_MODEL)).isEqualTo("claude-sonnet-4-5");
      assertThat(span.getAttributes().get(GenAiAttributes.GEN_AI_RESPONSE_MODEL)).isEqualTo("claude-sonnet-4-5-20250929");
      assertThat(span.getAttributes().get(GenAiAttributes.GEN_AI_REQUEST_MAX_TOKENS)).isEqualTo(100L);
      assertThat(span.getAttributes().get(GenAiAttributes.GEN_AI_USAGE_INPUT_TOKENS)).isEqualTo(4L);
      assertThat(span.getAttributes().get(GenAiAttributes.GEN_AI_USAGE_OUTPUT_TOKENS)).isEqualTo(4L);
      assertThat(span.getAttributes().get(GatewayAttributes.USAGE_ESTIMATED)).isTrue();
      assertThat(span.getAttributes().get(GenAiAttributes.OPENINFERENCE_SPAN_KIND)).isEqualTo("LLM");
      assertThat(span.getAttributes().get(McpAttributes.MCP_METHOD_NAME)).isEqualTo("sampling/createMessage");
      assertThat(span.getAttributes().get(GenAiAttributes.OPENINFERENCE_INPUT_VALUE)).contains("\"hello world\"");
      assertThat(span.getAttributes().get(GenAiAttributes.OPENINFERENCE_OUTPUT_VALUE)).contains("endTurn");
    }
  }

  @Test
  void anElicitationTheClientRefusesIsAFailedSpanCarryingItsError() {
    try (RecordingTracing tracing = RecordingTracing.start(Map.of("OTEL_CAPTURE_PAYLOADS", "true"))) {
      ForwardTracing forwarding = GatewayTelemetry.create(tracing.observability()).forwarding(TOKENS);
      ObjectNode error = json("{\"code\":-32601,\"message\":\"no elicitation here\"}");
      CompletableFuture<JsonNode> answer = forwarding.serverRequest("elicitation/create",
          json("{\"message\":\"your password=hunter2?\",\"requestedSchema\":{}}"),
          () -> CompletableFuture.failedFuture(new UpstreamException(null, UpstreamException.Kind.RPC_ERROR,
              "no elicitation here", error, null)));
      assertThat(answer).isCompletedExceptionally();

      SpanData span = tracing.await("elicitation/create", SpanKind.CLIENT);
      assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
      assertThat(span.getAttributes().get(McpAttributes.ERROR_TYPE)).isEqualTo("-32601");
      assertThat(span.getAttributes().get(GenAiAttributes.OPENINFERENCE_INPUT_VALUE)).contains("[REDACTED]")
          .doesNotContain("hunter2");
      assertThat(span.getAttributes().get(GenAiAttributes.OPENINFERENCE_OUTPUT_VALUE)).contains("-32601");
    }
  }
}
