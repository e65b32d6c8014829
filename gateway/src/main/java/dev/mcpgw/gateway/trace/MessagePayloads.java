package dev.mcpgw.gateway.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.observability.privacy.PayloadCapture;
import dev.mcpgw.observability.semconv.GatewayAttributes;
import dev.mcpgw.observability.semconv.GenAiAttributes;
import io.opentelemetry.api.trace.Span;
import java.util.List;

/**
 * Puts a client message's payloads on its MCP SERVER span when the operator opted in ({@code OTEL_CAPTURE_PAYLOADS}):
 * a tool call's arguments and result ({@code gen_ai.tool.call.arguments} / {@code gen_ai.tool.call.result}), a
 * prompt's arguments and rendered messages ({@code prompt.arguments} / {@code prompt.messages}), the text of a read
 * resource ({@code resource.contents}; blobs never), and the error of a failed request; each also under OpenInference's
 * {@code input.value} / {@code output.value}. Every value goes through {@link PayloadCapture}: masked by the sanitiser,
 * cut to the attribute length limit. Capture off is {@link #NONE}, chosen once: nothing is serialised.
 */
abstract class MessagePayloads {
  private static final String INPUT = GenAiAttributes.OPENINFERENCE_INPUT_VALUE.getKey();
  private static final String OUTPUT = GenAiAttributes.OPENINFERENCE_OUTPUT_VALUE.getKey();
  private static final List<String> TOOL_ARGUMENTS = List.of(GenAiAttributes.GEN_AI_TOOL_CALL_ARGUMENTS.getKey(), INPUT);
  private static final List<String> TOOL_RESULT = List.of(GenAiAttributes.GEN_AI_TOOL_CALL_RESULT.getKey(), OUTPUT);
  private static final List<String> PROMPT_ARGUMENTS = List.of(GatewayAttributes.PROMPT_ARGUMENTS.getKey(), INPUT);
  private static final List<String> PROMPT_MESSAGES = List.of(GatewayAttributes.PROMPT_MESSAGES.getKey(), OUTPUT);
  private static final List<String> ERROR = List.of(OUTPUT);

  /** Capture off: no call does anything. */
  static final MessagePayloads NONE = new MessagePayloads() {
    @Override
    void request(Span span, String method, ObjectNode params) {}

    @Override
    void response(Span span, ObjectNode message, ObjectNode response) {}
  };

  static MessagePayloads of(PayloadCapture capture) {
    return capture.enabled() ? new Captured(capture) : NONE;
  }

  /** Records what the client sent ({@code params} may be null). Never throws. */
  abstract void request(Span span, String method, ObjectNode params);

  /** Records the answer to {@code message} ({@code response} may be null). Never throws. */
  abstract void response(Span span, ObjectNode message, ObjectNode response);

  private static final class Captured extends MessagePayloads {
    private final PayloadCapture capture;

    Captured(PayloadCapture capture) {
      this.capture = capture;
    }

    @Override
    void request(Span span, String method, ObjectNode params) {
      if (params == null) {
        return;
      }
      switch (method) {
        case "tools/call" -> capture.capture(span, TOOL_ARGUMENTS, params.get("arguments"));
        case "prompts/get" -> capture.capture(span, PROMPT_ARGUMENTS, params.get("arguments"));
        default -> { }
      }
    }

    @Override
    void response(Span span, ObjectNode message, ObjectNode response) {
      if (response == null) {
        return;
      }
      JsonNode error = response.get("error");
      if (error != null && error.isObject()) {
        capture.capture(span, ERROR, error);
        return;
      }
      JsonNode result = response.get("result");
      if (result == null) {
        return;
      }
      switch (message.path("method").asText("")) {
        case "tools/call" -> capture.capture(span, TOOL_RESULT, result);
        case "prompts/get" -> capture.capture(span, PROMPT_MESSAGES, result.get("messages"));
        case "resources/read" -> {
          String text = texts(result.get("contents"));
          if (text != null) {
            capture.capture(span, GatewayAttributes.RESOURCE_CONTENTS.getKey(), text);
            capture.capture(span, OUTPUT, text);
          }
        }
        default -> { }
      }
    }

    /** The text contents joined by newlines; {@code null} when there is none (only blobs). */
    private static String texts(JsonNode contents) {
      if (contents == null || !contents.isArray()) {
        return null;
      }
      StringBuilder out = null;
      for (JsonNode content : contents) {
        JsonNode text = content.get("text");
        if (text != null && text.isTextual()) {
          out = out == null ? new StringBuilder() : out.append('\n');
          out.append(text.textValue());
        }
      }
      return out == null ? null : out.toString();
    }
  }
}
