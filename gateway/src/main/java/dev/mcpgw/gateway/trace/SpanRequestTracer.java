package dev.mcpgw.gateway.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.upstream.RequestTracer;
import dev.mcpgw.gateway.upstream.TracedRequest;
import dev.mcpgw.gateway.upstream.UpstreamTarget;
import dev.mcpgw.observability.logging.ThrottledLogger;
import dev.mcpgw.observability.propagation.BaggageLimits;
import dev.mcpgw.observability.semconv.GenAiAttributes;
import dev.mcpgw.observability.semconv.McpAttributes;
import dev.mcpgw.observability.semconv.UpstreamAttributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import org.slf4j.LoggerFactory;

/**
 * CLIENT spans in the shape of the OpenTelemetry MCP conventions: named {@code {method} {target}}, a child of the
 * caller's context, carrying the method, its target (tool, prompt or resource), the upstream's address and transport,
 * and the MCP session. The context injected into the request is this span's, with baggage cut to the W3C limits.
 */
final class SpanRequestTracer implements RequestTracer {
  private static final ThrottledLogger LOG = ThrottledLogger.of(LoggerFactory.getLogger(SpanRequestTracer.class));

  private final Tracer tracer;
  private final TextMapPropagator propagator;

  SpanRequestTracer(Tracer tracer, TextMapPropagator propagator) {
    this.tracer = tracer;
    this.propagator = propagator;
  }

  @Override
  public TracedRequest start(UpstreamTarget target, String method, ObjectNode params, String sessionId,
      String protocolVersion) {
    try {
      Context parent = Context.current();
      String tool = "tools/call".equals(method) ? text(params, "name") : null;
      String prompt = "prompts/get".equals(method) ? text(params, "name") : null;
      Span span = SpanAttributes.start(tracer.spanBuilder(McpAttributes.spanName(method, tool != null ? tool : prompt))
          .setSpanKind(SpanKind.CLIENT)
          .setParent(parent), parent,
          a -> describe(a, target, method, params, tool, prompt, sessionId, protocolVersion));
      return new SpanTracedRequest(span, BaggageLimits.limit(parent.with(span)), propagator, target.http(), method);
    } catch (RuntimeException e) {
      LOG.warn("upstream tracing: could not start the span of {} to '{}': {}", method, target.name(), String.valueOf(e));
      return TracedRequest.NONE;
    }
  }

  /**
   * The request's attributes, set only on a span that records: an unsampled call pays for its span's ids and the
   * context it carries upstream, not for its attributes (ADR 0038).
   */
  private static void describe(SpanAttributes span, UpstreamTarget target, String method, ObjectNode params, String tool,
      String prompt, String sessionId, String protocolVersion) {
    span.put(McpAttributes.MCP_METHOD_NAME, method);
    span.put(UpstreamAttributes.UPSTREAM_NAME, target.name());
    span.put(UpstreamAttributes.UPSTREAM_TRANSPORT, target.transport().wireName());
    span.put(McpAttributes.NETWORK_TRANSPORT, target.http() ? "tcp" : "pipe");
    if (tool != null) {
      span.put(GenAiAttributes.GEN_AI_TOOL_NAME, tool);
      span.put(GenAiAttributes.GEN_AI_OPERATION_NAME, GenAiAttributes.OPERATION_EXECUTE_TOOL);
    }
    if (prompt != null) {
      span.put(GenAiAttributes.GEN_AI_PROMPT_NAME, prompt);
    }
    String uri = method.startsWith("resources/") ? text(params, "uri") : null;
    if (uri != null) {
      span.put(McpAttributes.MCP_RESOURCE_URI, uri);
    }
    if (target.http()) {
      span.put(McpAttributes.NETWORK_PROTOCOL_NAME, "http");
      if (target.address() != null) {
        span.put(McpAttributes.SERVER_ADDRESS, target.address());
        span.put(McpAttributes.SERVER_PORT, (long) target.port());
      }
    }
    if (sessionId != null) {
      span.put(McpAttributes.MCP_SESSION_ID, sessionId);
    }
    if (protocolVersion != null) {
      span.put(McpAttributes.MCP_PROTOCOL_VERSION, protocolVersion);
    }
  }

  private static String text(ObjectNode params, String field) {
    JsonNode v = params == null ? null : params.get(field);
    return v != null && v.isTextual() ? v.asText() : null;
  }
}
