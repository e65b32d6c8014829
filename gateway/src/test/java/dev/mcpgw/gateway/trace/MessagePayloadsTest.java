package dev.mcpgw.gateway.trace;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.auth.Caller;
import dev.mcpgw.gateway.mcp.Downstream;
import dev.mcpgw.gateway.mcp.Exchange;
import dev.mcpgw.gateway.mcp.MessageDispatch;
import dev.mcpgw.observability.semconv.GatewayAttributes;
import dev.mcpgw.observability.semconv.GenAiAttributes;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Payload capture on the MCP SERVER span, observed in the spans an exporter receives. */
class MessagePayloadsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Exchange EXCHANGE = new Exchange(new Caller("alice", "acme", false), "req-1",
      dev.mcpgw.gateway.catalog.Scope.ALL, "session-1", Downstream.NONE);
  private static final Map<String, String> CAPTURE = Map.of("OTEL_CAPTURE_PAYLOADS", "true", "OTEL_SANITIZE_PII", "true");

  private static ObjectNode json(String text) {
    try {
      return (ObjectNode) JSON.readTree(text);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static MessageDispatch traced(RecordingTracing tracing, String response) {
    return GatewayTelemetry.create(tracing.observability()).dispatch().apply((m, e) -> json(response));
  }

  private static String attr(SpanData span, AttributeKey<String> key) {
    return span.getAttributes().get(key);
  }

  @Test
  void aToolCallsArgumentsAndResultAreOnItsSpanMaskedUnderGenAiAndOpenInferenceNames() {
    try (RecordingTracing tracing = RecordingTracing.start(CAPTURE)) {
      traced(tracing, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"content\":[{\"type\":\"text\","
          + "\"text\":\"Echo: mail bob@example.com, ssn 123-45-6789\"}]}}")
          .dispatch(json("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\","
              + "\"arguments\":{\"message\":\"hello\",\"password\":\"hunter2\",\"note\":\"Bearer abc.def.ghi\"}}}"),
              EXCHANGE);

      SpanData span = tracing.await("tools/call echo", SpanKind.SERVER);
      String arguments = attr(span, GenAiAttributes.GEN_AI_TOOL_CALL_ARGUMENTS);
      assertThat(arguments).contains("\"message\":\"hello\"").doesNotContain("hunter2").doesNotContain("abc.def.ghi");
      assertThat(attr(span, GenAiAttributes.OPENINFERENCE_INPUT_VALUE)).isEqualTo(arguments);
      String result = attr(span, GenAiAttributes.GEN_AI_TOOL_CALL_RESULT);
      assertThat(result).contains("Echo: mail").contains("[EMAIL]").contains("[SSN]")
          .doesNotContain("bob@example.com").doesNotContain("123-45-6789");
      assertThat(attr(span, GenAiAttributes.OPENINFERENCE_OUTPUT_VALUE)).isEqualTo(result);
    }
  }

  @Test
  void promptArgumentsAndRenderedMessagesAndResourceTextAreCapturedButNeverBlobs() {
    try (RecordingTracing tracing = RecordingTracing.start(CAPTURE)) {
      traced(tracing, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"messages\":[{\"role\":\"user\",\"content\":"
          + "{\"type\":\"text\",\"text\":\"Hi Ann\"}}]}}")
          .dispatch(json("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"prompts/get\",\"params\":{\"name\":\"greet\","
              + "\"arguments\":{\"who\":\"Ann\"}}}"), EXCHANGE);
      traced(tracing, "{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{\"contents\":[{\"uri\":\"docs://a\",\"text\":\"line one\"},"
          + "{\"uri\":\"docs://b\",\"blob\":\"QkxPQkJZ\"}]}}")
          .dispatch(json("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"resources/read\",\"params\":{\"uri\":\"docs://a\"}}"),
              EXCHANGE);

      SpanData prompt = tracing.await("prompts/get greet", SpanKind.SERVER);
      assertThat(attr(prompt, GatewayAttributes.PROMPT_ARGUMENTS)).isEqualTo("{\"who\":\"Ann\"}");
      assertThat(attr(prompt, GatewayAttributes.PROMPT_MESSAGES)).contains("Hi Ann");
      SpanData read = tracing.await("resources/read", SpanKind.SERVER);
      assertThat(attr(read, GatewayAttributes.RESOURCE_CONTENTS)).isEqualTo("line one");
      assertThat(attr(read, GenAiAttributes.OPENINFERENCE_OUTPUT_VALUE)).isEqualTo("line one");
    }
  }

  @Test
  void aFailedCallCarriesItsErrorPayload() {
    try (RecordingTracing tracing = RecordingTracing.start(CAPTURE)) {
      traced(tracing, "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32602,\"message\":\"bad password=s3cr3t\"}}")
          .dispatch(json("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\"}}"),
              EXCHANGE);

      SpanData span = tracing.await("tools/call echo", SpanKind.SERVER);
      assertThat(attr(span, GenAiAttributes.OPENINFERENCE_OUTPUT_VALUE)).contains("-32602").doesNotContain("s3cr3t");
    }
  }

  @Test
  void aPayloadLongerThanTheAttributeLimitIsCut() {
    try (RecordingTracing tracing = RecordingTracing.start(Map.of("OTEL_CAPTURE_PAYLOADS", "true",
        "OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT", "64"))) {
      traced(tracing, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}")
          .dispatch(json("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\","
              + "\"arguments\":{\"message\":\"" + "x".repeat(5000) + "\"}}}"), EXCHANGE);

      SpanData span = tracing.await("tools/call echo", SpanKind.SERVER);
      assertThat(attr(span, GenAiAttributes.GEN_AI_TOOL_CALL_ARGUMENTS)).hasSizeLessThanOrEqualTo(64)
          .endsWith("...[truncated]");
    }
  }

  @Test
  void captureOffByDefaultPutsNoPayloadOnSpansAndNeverSerialisesOne() {
    try (RecordingTracing tracing = RecordingTracing.start()) {
      AtomicInteger serialised = new AtomicInteger();
      ObjectNode arguments = new ObjectNode(JSON.getNodeFactory()) {
        @Override
        public String toString() {
          serialised.incrementAndGet();
          return super.toString();
        }
      };
      arguments.put("message", "hello");
      ObjectNode call = json("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\"}}");
      ((ObjectNode) call.get("params")).set("arguments", arguments);
      traced(tracing, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"content\":[]}}").dispatch(call, EXCHANGE);

      SpanData span = tracing.await("tools/call echo", SpanKind.SERVER);
      assertThat(span.getAttributes().asMap().keySet()).extracting(AttributeKey::getKey)
          .doesNotContain("gen_ai.tool.call.arguments", "gen_ai.tool.call.result", "input.value", "output.value");
      assertThat(serialised).hasValue(0);
    }
  }
}
