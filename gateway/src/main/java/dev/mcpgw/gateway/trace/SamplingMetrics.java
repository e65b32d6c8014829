package dev.mcpgw.gateway.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.mcp.ForwardTracing;
import dev.mcpgw.gateway.usage.TokenCounter;
import dev.mcpgw.observability.semconv.GenAiAttributes;
import dev.mcpgw.observability.semconv.McpAttributes;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * The GenAI client metrics of relayed model calls ({@code sampling/createMessage} an upstream asks the client's model
 * for): {@code gen_ai.client.operation.duration} (seconds, from relaying the request to the client's answer) and
 * {@code gen_ai.client.token.usage} (input: messages and system prompt, output: the answer; estimated by the
 * tokenizer, as on the chat span), by operation {@code chat}, requested and answering model (bounded, {@code _other}
 * beyond 100 each) and {@code error.type}. Wraps the forwarding seam; everything else passes through.
 */
final class SamplingMetrics implements ForwardTracing {
  static final String OPERATION_DURATION = "gen_ai.client.operation.duration";
  private static final String SAMPLING = "sampling/createMessage";

  private final ForwardTracing next;
  private final TokenCounter tokens;
  private final DoubleHistogram duration;
  private final LongHistogram tokenUsage;
  private final BoundedLabels requested = new BoundedLabels(UsageMetrics.MAX_VALUES);
  private final BoundedLabels answered = new BoundedLabels(UsageMetrics.MAX_VALUES);

  /** @param tokens estimates the tokens of the messages; {@code null}: no token usage recorded */
  SamplingMetrics(ForwardTracing next, Meter meter, TokenCounter tokens) {
    this.next = next;
    this.tokens = tokens;
    this.duration = meter.histogramBuilder(OPERATION_DURATION).setUnit("s")
        .setDescription("Duration of relayed model calls (sampling/createMessage answered by the client's model)")
        .setExplicitBucketBoundariesAdvice(List.of(0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24,
            20.48, 40.96, 81.92))
        .build();
    // the same instrument UsageMetrics records tool calls on: one family, told apart by gen_ai.operation.name
    this.tokenUsage = meter.histogramBuilder(UsageMetrics.TOKEN_USAGE).ofLongs().setUnit("{token}")
        .setDescription("Tokens of tool calls as the calling model sees them (result input, arguments output) and"
            + " of usage upstreams reported")
        .setExplicitBucketBoundariesAdvice(List.of(1L, 4L, 16L, 64L, 256L, 1024L, 4096L, 16384L, 65536L, 262144L,
            1048576L))
        .build();
  }

  @Override
  public <T> T around(String upstream, String method, Supplier<T> forward) {
    return next.around(upstream, method, forward);
  }

  @Override
  public java.util.function.Function<Supplier<CompletableFuture<JsonNode>>, CompletableFuture<JsonNode>>
      relayedFromHere() {
    return next.relayedFromHere();
  }

  @Override
  public CompletableFuture<JsonNode> serverRequest(String method, ObjectNode params,
      Supplier<CompletableFuture<JsonNode>> send) {
    if (!SAMPLING.equals(method)) {
      return next.serverRequest(method, params, send);
    }
    long start = System.nanoTime();
    CompletableFuture<JsonNode> answer = next.serverRequest(method, params, send);
    answer.whenComplete((result, failure) -> {
      try {
        record(params, result, failure, System.nanoTime() - start);
      } catch (RuntimeException ignored) {
        // telemetry never fails the relay
      }
    });
    return answer;
  }

  private void record(ObjectNode params, JsonNode result, Throwable failure, long nanos) {
    JsonNode hint = params == null ? null : params.path("modelPreferences").path("hints").path(0).get("name");
    AttributesBuilder a = Attributes.builder()
        .put(GenAiAttributes.GEN_AI_OPERATION_NAME, GenAiAttributes.OPERATION_CHAT);
    if (hint != null && hint.isTextual()) {
      a.put(GenAiAttributes.GEN_AI_REQUEST_MODEL, requested.of(hint.textValue()));
    }
    JsonNode model = result == null ? null : result.get("model");
    if (model != null && model.isTextual()) {
      a.put(GenAiAttributes.GEN_AI_RESPONSE_MODEL, answered.of(model.textValue()));
    }
    if (failure != null) {
      Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
          : failure;
      a.put(McpAttributes.ERROR_TYPE, cause.getClass().getName());
    }
    Attributes attributes = a.build();
    duration.record(nanos / 1e9, attributes);
    if (tokens == null || failure != null || result == null) {
      return;
    }
    tokenUsage.record(SamplingTokens.input(tokens, params),
        attributes.toBuilder().put(UsageMetrics.TOKEN_TYPE, "input").build());
    tokenUsage.record(SamplingTokens.output(tokens, result),
        attributes.toBuilder().put(UsageMetrics.TOKEN_TYPE, "output").build());
  }
}
