package dev.mcpgw.gateway.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.upstream.UpstreamException;
import dev.mcpgw.gateway.usage.TokenCounter;
import dev.mcpgw.observability.privacy.PayloadCapture;
import dev.mcpgw.observability.semconv.GatewayAttributes;
import dev.mcpgw.observability.semconv.GenAiAttributes;
import dev.mcpgw.observability.semconv.McpAttributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * The CLIENT span of a server-to-client request the gateway relays to its client: for {@code sampling/createMessage}
 * a GenAI chat span ({@code chat {model}}, {@code gen_ai.operation.name=chat}, the requested and the answering model,
 * {@code gen_ai.usage.input_tokens} / {@code output_tokens} estimated by the tokenizer and marked
 * {@code mcpgw.usage.estimated}, OpenInference kind {@code LLM}); for {@code elicitation/create} and
 * {@code roots/list} a span named after the method. With payload capture on, the request and the answer are on it
 * ({@code input.value}, {@code output.value}). It ends when the client answers or the request fails.
 */
final class ServerRequestSpans {
  private static final List<String> INPUT = List.of(GenAiAttributes.OPENINFERENCE_INPUT_VALUE.getKey());
  private static final List<String> OUTPUT = List.of(GenAiAttributes.OPENINFERENCE_OUTPUT_VALUE.getKey());
  private static final String SAMPLING = "sampling/createMessage";

  private final Tracer tracer;
  private final PayloadCapture payloads;
  private final TokenCounter tokens;

  /** @param tokens estimates the tokens of sampling messages; {@code null} for none */
  ServerRequestSpans(Tracer tracer, PayloadCapture payloads, TokenCounter tokens) {
    this.tracer = tracer;
    this.payloads = payloads;
    this.tokens = tokens;
  }

  CompletableFuture<JsonNode> around(String method, ObjectNode params, Supplier<CompletableFuture<JsonNode>> send) {
    Span span;
    try {
      span = start(method, params);
    } catch (RuntimeException e) {
      return send.get();
    }
    CompletableFuture<JsonNode> answer;
    try {
      answer = send.get();
    } catch (RuntimeException e) {
      fail(span, e);
      span.end();
      throw e;
    }
    answer.whenComplete((result, failure) -> {
      try {
        if (failure != null) {
          fail(span, failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure);
        } else {
          answered(span, method, params, result);
        }
      } catch (RuntimeException ignored) {
        // telemetry never fails the relay
      } finally {
        span.end();
      }
    });
    return answer;
  }

  private Span start(String method, ObjectNode params) {
    boolean sampling = SAMPLING.equals(method);
    String model = sampling ? requestedModel(params) : null;
    String name = sampling ? (model == null ? GenAiAttributes.OPERATION_CHAT : GenAiAttributes.OPERATION_CHAT + " "
        + model) : method;
    SpanBuilder builder = tracer.spanBuilder(name).setSpanKind(SpanKind.CLIENT)
        .setAttribute(McpAttributes.MCP_METHOD_NAME, method);
    if (sampling) {
      builder.setAttribute(GenAiAttributes.GEN_AI_OPERATION_NAME, GenAiAttributes.OPERATION_CHAT)
          .setAttribute(GenAiAttributes.OPENINFERENCE_SPAN_KIND, GenAiAttributes.OPENINFERENCE_KIND_LLM);
      if (model != null) {
        builder.setAttribute(GenAiAttributes.GEN_AI_REQUEST_MODEL, model);
      }
      JsonNode maxTokens = params == null ? null : params.get("maxTokens");
      if (maxTokens != null && maxTokens.canConvertToLong()) {
        builder.setAttribute(GenAiAttributes.GEN_AI_REQUEST_MAX_TOKENS, maxTokens.asLong());
      }
    }
    Span span = builder.startSpan();
    payloads.capture(span, INPUT, params);
    return span;
  }

  private void answered(Span span, String method, ObjectNode params, JsonNode result) {
    payloads.capture(span, OUTPUT, result);
    if (!SAMPLING.equals(method) || result == null) {
      return;
    }
    JsonNode model = result.get("model");
    if (model != null && model.isTextual()) {
      span.setAttribute(GenAiAttributes.GEN_AI_RESPONSE_MODEL, model.textValue());
    }
    if (tokens != null && span.isRecording()) {
      span.setAttribute(GenAiAttributes.GEN_AI_USAGE_INPUT_TOKENS, SamplingTokens.input(tokens, params));
      span.setAttribute(GenAiAttributes.GEN_AI_USAGE_OUTPUT_TOKENS, SamplingTokens.output(tokens, result));
      span.setAttribute(GatewayAttributes.USAGE_ESTIMATED, true);
    }
  }

  private static String requestedModel(ObjectNode params) {
    JsonNode hint = params == null ? null : params.path("modelPreferences").path("hints").path(0).get("name");
    return hint != null && hint.isTextual() && !hint.textValue().isBlank() ? hint.textValue() : null;
  }

  private void fail(Span span, Throwable failure) {
    String type = failure instanceof UpstreamException u && u.rpcError() != null
        ? u.rpcError().path("code").asText(failure.getClass().getName()) : failure.getClass().getName();
    span.setAttribute(McpAttributes.ERROR_TYPE, type);
    span.setStatus(StatusCode.ERROR, failure.getMessage());
    if (failure instanceof UpstreamException u && u.rpcError() != null) {
      payloads.capture(span, OUTPUT, u.rpcError());
    }
  }
}
