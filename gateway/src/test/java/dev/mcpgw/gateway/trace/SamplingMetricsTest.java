package dev.mcpgw.gateway.trace;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.mcp.ForwardTracing;
import dev.mcpgw.gateway.usage.TokenCounter;
import dev.mcpgw.observability.semconv.GenAiAttributes;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SamplingMetricsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TokenCounter TOKENS = TokenCounter.create("o200k_base");
  private final InMemoryMetricReader reader = InMemoryMetricReader.create();
  private final SdkMeterProvider provider = SdkMeterProvider.builder().registerMetricReader(reader).build();
  private final SamplingMetrics metrics = new SamplingMetrics(ForwardTracing.NONE, provider.get("test"), TOKENS);

  @AfterEach
  void close() {
    provider.close();
  }

  private static MetricData metric(Collection<MetricData> all, String name) {
    return all.stream().filter(m -> m.getName().equals(name)).findFirst().orElseThrow(() -> new AssertionError(name));
  }

  @Test
  void theCallsTraceContextIsCapturedByTheTracingItWraps() {
    java.util.function.Function<java.util.function.Supplier<java.util.concurrent.CompletableFuture<
        com.fasterxml.jackson.databind.JsonNode>>, java.util.concurrent.CompletableFuture<
        com.fasterxml.jackson.databind.JsonNode>> inner = work -> java.util.concurrent.CompletableFuture
        .completedFuture(JSON.createObjectNode().put("from", "inner"));
    ForwardTracing wrapped = new ForwardTracing() {
      @Override
      public <T> T around(String upstream, String method, java.util.function.Supplier<T> forward) {
        return forward.get();
      }

      @Override
      public java.util.function.Function<java.util.function.Supplier<java.util.concurrent.CompletableFuture<
          com.fasterxml.jackson.databind.JsonNode>>, java.util.concurrent.CompletableFuture<
          com.fasterxml.jackson.databind.JsonNode>> relayedFromHere() {
        return inner;
      }
    };
    SamplingMetrics withSpans = new SamplingMetrics(wrapped, provider.get("test"), TOKENS);
    assertThat(withSpans.relayedFromHere()).isSameAs(inner);
  }

  @Test
  void aRelayedSamplingRequestRecordsItsDurationAndEstimatedTokensByModel() throws Exception {
    ObjectNode params = (ObjectNode) JSON.readTree("{\"messages\":[{\"role\":\"user\",\"content\":{\"type\":\"text\","
        + "\"text\":\"What is the capital of France?\"}}],\"systemPrompt\":\"Be brief.\",\"maxTokens\":50,"
        + "\"modelPreferences\":{\"hints\":[{\"name\":\"claude-sonnet-4.5\"}]}}");
    JsonNode answer = JSON.readTree("{\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\",\"content\":"
        + "{\"type\":\"text\",\"text\":\"Paris.\"}}");

    JsonNode got = metrics.serverRequest("sampling/createMessage", params,
        () -> CompletableFuture.completedFuture(answer)).get();

    assertThat(got).isSameAs(answer);
    Collection<MetricData> all = reader.collectAllMetrics();
    assertThat(metric(all, SamplingMetrics.OPERATION_DURATION).getHistogramData().getPoints()).singleElement()
        .satisfies(p -> {
          assertThat(p.getCount()).isEqualTo(1);
          assertThat(p.getAttributes().get(GenAiAttributes.GEN_AI_OPERATION_NAME)).isEqualTo("chat");
          assertThat(p.getAttributes().get(GenAiAttributes.GEN_AI_REQUEST_MODEL)).isEqualTo("claude-sonnet-4.5");
          assertThat(p.getAttributes().get(GenAiAttributes.GEN_AI_RESPONSE_MODEL))
              .isEqualTo("claude-sonnet-4-5-20250929");
        });
    long input = TOKENS.count("Be brief.") + TOKENS.count("What is the capital of France?");
    assertThat(metric(all, UsageMetrics.TOKEN_USAGE).getHistogramData().getPoints())
        .extracting(p -> p.getAttributes().get(UsageMetrics.TOKEN_TYPE) + "=" + (long) p.getSum())
        .containsExactlyInAnyOrder("input=" + input, "output=" + TOKENS.count("Paris."));
  }

  @Test
  void otherServerRequestsPassThroughUnmeasured() throws Exception {
    metrics.serverRequest("roots/list", null, () -> CompletableFuture.completedFuture(JSON.createObjectNode())).get();
    assertThat(reader.collectAllMetrics()).isEmpty();
  }
}
