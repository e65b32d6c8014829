package dev.mcpgw.gateway.trace;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgw.gateway.upstream.UpstreamEvents;
import dev.mcpgw.gateway.upstream.UpstreamException;
import dev.mcpgw.observability.semconv.McpAttributes;
import dev.mcpgw.observability.semconv.UpstreamAttributes;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;

/**
 * The upstream (client) side's measurements: {@code mcp.client.operation.duration} (seconds, the MCP conventions'
 * client histogram: the upstream's own latency, retries and backoffs included) by upstream, method and error type;
 * {@code mcpgw.upstream.retries} by upstream and the failure retried; {@code mcpgw.upstream.circuit_breaker.transitions}
 * by upstream and the states left and entered. Upstream names come from the registry, so the label sets are bounded
 * by what admins register.
 */
final class UpstreamMetrics implements UpstreamEvents {
  static final String RETRIES = "mcpgw.upstream.retries";
  static final String TRANSITIONS = "mcpgw.upstream.circuit_breaker.transitions";
  static final AttributeKey<String> FROM = AttributeKey.stringKey("from");
  static final AttributeKey<String> TO = AttributeKey.stringKey("to");
  private static final List<Double> BUCKETS =
      List.of(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0);

  private final DoubleHistogram duration;
  private final LongCounter retries;
  private final LongCounter transitions;

  UpstreamMetrics(Meter meter) {
    this.duration = meter.histogramBuilder(McpAttributes.METRIC_CLIENT_OPERATION_DURATION).setUnit("s")
        .setDescription("MCP requests the gateway sent to upstreams, retries included")
        .setExplicitBucketBoundariesAdvice(BUCKETS).build();
    this.retries = meter.counterBuilder(RETRIES).setUnit("{retry}")
        .setDescription("Retries of upstream requests, by the failure retried").build();
    this.transitions = meter.counterBuilder(TRANSITIONS).setUnit("{transition}")
        .setDescription("Circuit breaker state transitions per upstream").build();
  }

  @Override
  public void onRetry(String upstream, int attempt, UpstreamException error) {
    retries.add(1, Attributes.of(UpstreamAttributes.UPSTREAM_NAME, upstream, McpAttributes.ERROR_TYPE,
        error.kind().name().toLowerCase(Locale.ROOT)));
  }

  @Override
  public void onBreakerTransition(String upstream, String from, String to) {
    transitions.add(1, Attributes.of(UpstreamAttributes.UPSTREAM_NAME, upstream, FROM, from, TO, to));
  }

  @Override
  public void onCompleted(String upstream, String method, long nanos, Object result, Throwable failure) {
    AttributesBuilder a = Attributes.builder().put(UpstreamAttributes.UPSTREAM_NAME, upstream)
        .put(McpAttributes.MCP_METHOD_NAME, method);
    String errorType = errorType(result, failure);
    if (errorType != null) {
      a.put(McpAttributes.ERROR_TYPE, errorType);
    }
    duration.record(nanos / 1e9, a.build());
  }

  private static String errorType(Object result, Throwable failure) {
    if (failure instanceof UpstreamException u) {
      return switch (u.kind()) {
        case TIMEOUT -> UpstreamAttributes.ERROR_TIMEOUT;
        case CIRCUIT_OPEN -> UpstreamAttributes.ERROR_CIRCUIT_OPEN;
        default -> u.kind().name().toLowerCase(Locale.ROOT);
      };
    }
    if (failure instanceof CancellationException) {
      return UpstreamAttributes.ERROR_CANCELLED;
    }
    if (failure != null) {
      return failure.getClass().getName();
    }
    if (result instanceof JsonNode answer) {
      JsonNode error = answer.get("error");
      if (error != null) {
        return error.path("code").asText();
      }
      return answer.path("result").path("isError").asBoolean(false) ? UpstreamAttributes.ERROR_TOOL : null;
    }
    return null;
  }
}
