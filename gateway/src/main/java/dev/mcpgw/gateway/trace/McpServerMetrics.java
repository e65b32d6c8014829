package dev.mcpgw.gateway.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.mcp.Exchange;
import dev.mcpgw.gateway.mcp.MessageDispatch;
import dev.mcpgw.observability.semconv.GatewayAttributes;
import dev.mcpgw.observability.semconv.GenAiAttributes;
import dev.mcpgw.observability.semconv.McpAttributes;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import java.util.List;

/**
 * Request metrics at the dispatch point: {@code mcp.server.operation.duration} (seconds) by method, tool or prompt
 * and error type, as the MCP conventions define it, and {@code mcpgw.tool.calls} by tool, tenant and error type
 * for usage per tenant (never by user: user ids are unbounded; usage per user is on the spans). Every attribute is bounded by what the registry and the token issuer
 * know, and the SDK caps each instrument at its cardinality limit (2000 series by default; the excess is folded into
 * one overflow series), so a flood of users cannot grow memory without bound. Client responses are not counted.
 */
final class McpServerMetrics implements MessageDispatch {
  static final String TOOL_CALLS = "mcpgw.tool.calls";
  private static final List<Double> BUCKETS =
      List.of(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0);

  private final MessageDispatch next;
  private final DoubleHistogram duration;
  private final LongCounter toolCalls;

  McpServerMetrics(MessageDispatch next, Meter meter) {
    this.next = next;
    this.duration = meter.histogramBuilder(McpAttributes.METRIC_SERVER_OPERATION_DURATION).setUnit("s")
        .setDescription("MCP requests as the gateway received them").setExplicitBucketBoundariesAdvice(BUCKETS).build();
    this.toolCalls = meter.counterBuilder(TOOL_CALLS).setUnit("{call}")
        .setDescription("tools/call requests by tool and tenant").build();
  }

  @Override
  public ObjectNode dispatch(ObjectNode message, Exchange exchange) {
    long start = System.nanoTime();
    ObjectNode response = next.dispatch(message, exchange);
    try {
      record(message, exchange, response, System.nanoTime() - start);
    } catch (RuntimeException e) {
      // telemetry only: the answer stands
    }
    return response;
  }

  private void record(ObjectNode message, Exchange exchange, ObjectNode response, long nanos) {
    JsonNode method = message.get("method");
    if (method == null || !method.isTextual() || message.get("id") == null) {
      return;
    }
    String name = method.textValue();
    String errorType = errorType(response);
    AttributesBuilder attributes = Attributes.builder().put(McpAttributes.MCP_METHOD_NAME, name);
    if (errorType != null) {
      attributes.put(McpAttributes.ERROR_TYPE, errorType);
    }
    JsonNode target = message.path("params").path("name");
    if ("tools/call".equals(name) && target.isTextual()) {
      attributes.put(GenAiAttributes.GEN_AI_TOOL_NAME, target.textValue());
      AttributesBuilder usage = Attributes.builder()
          .put(GenAiAttributes.GEN_AI_TOOL_NAME, target.textValue())
          .put(GatewayAttributes.TENANT_ID, exchange.caller().tenantId());
      if (errorType != null) {
        usage.put(McpAttributes.ERROR_TYPE, errorType);
      }
      toolCalls.add(1, usage.build());
    } else if ("prompts/get".equals(name) && target.isTextual()) {
      attributes.put(GenAiAttributes.GEN_AI_PROMPT_NAME, target.textValue());
    }
    duration.record(nanos / 1e9, attributes.build());
  }

  private static String errorType(ObjectNode response) {
    if (response == null) {
      return null;
    }
    JsonNode error = response.get("error");
    if (error != null) {
      return error.path("code").asText();
    }
    return response.path("result").path("isError").asBoolean(false) ? McpServerSpans.TOOL_ERROR : null;
  }
}
