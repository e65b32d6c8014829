package dev.mcpgw.gateway.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.mcp.Exchange;
import dev.mcpgw.gateway.mcp.MessageDispatch;
import dev.mcpgw.observability.logging.ThrottledLogger;
import dev.mcpgw.observability.privacy.PayloadCapture;
import dev.mcpgw.observability.propagation.McpMetaCarrier;
import dev.mcpgw.observability.semconv.GatewayAttributes;
import dev.mcpgw.observability.semconv.GenAiAttributes;
import dev.mcpgw.observability.semconv.McpAttributes;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapPropagator;
import org.slf4j.LoggerFactory;

/**
 * The MCP SERVER span of every client message, wrapped around the single dispatch point all transports feed. Named
 * {@code {mcp.method.name} {target}} ({@code tools/call echo}), with the MCP conventions' attributes and the gateway's
 * ({@code tool.name}, {@code user.id}, {@code tenant.id}, {@code openinference.span.kind}). Its parent is the context
 * in {@code params._meta} when the client sent one (MCP SEP-414), linked to the HTTP SERVER span it arrived in; else
 * the HTTP SERVER span. A JSON-RPC error marks it ERROR with {@code error.type} = the error code; a tool result with
 * {@code isError: true} with {@code error.type = tool_error}. With {@code OTEL_CAPTURE_PAYLOADS=true} it also carries
 * the message's payloads ({@link MessagePayloads}). Telemetry failures are logged (rate-limited) and never
 * reach the client: the message is answered as if untraced.
 */
final class McpServerSpans implements MessageDispatch {
  /** The {@code MCP-Protocol-Version} header of the HTTP request, which the HTTP span puts into the context. */
  static final String PROTOCOL_VERSION_HEADER = "MCP-Protocol-Version";
  static final ContextKey<String> PROTOCOL_VERSION = ContextKey.named("mcpgw.mcp.protocol-version");
  /** Event on the MCP span when a plugin stopped the request: which plugin, at which hook, why. */
  static final String EVENT_PLUGIN_BLOCKED = "plugin.blocked";
  static final String TOOL_ERROR = "tool_error";

  private static final ThrottledLogger LOG = ThrottledLogger.of(LoggerFactory.getLogger(McpServerSpans.class));

  private final MessageDispatch next;
  private final Tracer tracer;
  private final TextMapPropagator propagator;
  private final MessagePayloads payloads;
  private final ToolCallTokens tokens;

  /** @param tokens counts the tokens of tool calls on their spans; {@code null} for none */
  McpServerSpans(MessageDispatch next, Tracer tracer, TextMapPropagator propagator, PayloadCapture capture,
      ToolCallTokens tokens) {
    this.next = next;
    this.tracer = tracer;
    this.propagator = propagator;
    this.payloads = MessagePayloads.of(capture);
    this.tokens = tokens;
  }

  @Override
  public ObjectNode dispatch(ObjectNode message, Exchange exchange) {
    Context context = start(message, exchange);
    if (context == null) {
      return next.dispatch(message, exchange);
    }
    Span span = Span.fromContext(context);
    ObjectNode response;
    try (Scope ignored = context.makeCurrent()) {
      response = next.dispatch(message, exchange);
    } catch (RuntimeException | Error e) {
      // the dispatcher answers every failure itself; this is a broken contract, still traced
      span.recordException(e);
      span.setAttribute(McpAttributes.ERROR_TYPE, e.getClass().getName());
      span.setStatus(StatusCode.ERROR);
      span.end();
      throw e;
    }
    if (!span.isRecording()) {
      span.end();
      return response;
    }
    payloads.response(span, message, response);
    finish(span, response);
    end(span, message, response, exchange, context);
    return response;
  }

  /** The context with the started span, or {@code null} when the message gets none (a client's response). */
  private Context start(ObjectNode message, Exchange exchange) {
    try {
      JsonNode methodNode = message.get("method");
      if (methodNode == null || !methodNode.isTextual()) {
        return null;
      }
      String method = methodNode.textValue();
      ObjectNode params = message.get("params") instanceof ObjectNode p ? p : null;
      Context base = Context.current();
      Context parent = McpMetaCarrier.extract(propagator, base, params);
      String target = switch (method) {
        case "tools/call", "prompts/get" -> text(params, "name");
        default -> null;
      };
      SpanBuilder builder = tracer.spanBuilder(McpAttributes.spanName(method, target)).setSpanKind(SpanKind.SERVER)
          .setParent(parent);
      SpanContext httpSpan = Span.fromContext(base).getSpanContext();
      boolean metaWins = parent != base && !Span.fromContext(parent).getSpanContext().equals(httpSpan);
      if (metaWins && httpSpan.isValid()) {
        // the request's own trace wins; the hop it arrived on stays reachable from it
        builder.addLink(httpSpan);
      }
      Span span = SpanAttributes.start(builder, parent,
          a -> describe(a, method, target, params, exchange, message, base));
      if (span.isRecording()) {
        payloads.request(span, method, params);
      }
      Context context = parent.with(span);
      ToolCallTokens.Shared shared = tokens != null && "tools/call".equals(method) ? tokens.share(span) : null;
      // the usage store, when on, takes this tool call and hands its token counts back (no second count)
      return shared == null ? context : context.with(ToolCallTokens.SHARED, shared);
    } catch (RuntimeException e) {
      LOG.warn("could not start the MCP server span; the message is handled untraced", e);
      return null;
    }
  }

  /**
   * The message's attributes, set only on a span that records: an unsampled message pays for its span's ids and
   * context, not for reading the message (ADR 0038).
   */
  private static void describe(SpanAttributes span, String method, String target, ObjectNode params, Exchange exchange,
      ObjectNode message, Context base) {
    span.put(McpAttributes.MCP_METHOD_NAME, method);
    span.put(GatewayAttributes.REQUEST_ID, exchange.requestId());
    span.put(GatewayAttributes.USER_ID, exchange.caller().userId());
    span.put(GatewayAttributes.TENANT_ID, exchange.caller().tenantId());
    JsonNode id = message.get("id");
    if (id != null && !id.isNull()) {
      span.put(McpAttributes.JSONRPC_REQUEST_ID, id.asText());
    }
    if (exchange.sessionId() != null) {
      span.put(McpAttributes.MCP_SESSION_ID, exchange.sessionId());
    }
    if (exchange.scope().serverId() != null) {
      span.put(GatewayAttributes.SERVER_ID, exchange.scope().serverId());
    }
    String version = base.get(PROTOCOL_VERSION);
    if (version != null) {
      span.put(McpAttributes.MCP_PROTOCOL_VERSION, version);
    }
    String kind = GenAiAttributes.OPENINFERENCE_KIND_CHAIN;
    switch (method) {
      case "tools/call" -> {
        kind = GenAiAttributes.OPENINFERENCE_KIND_TOOL;
        span.put(GenAiAttributes.GEN_AI_OPERATION_NAME, GenAiAttributes.OPERATION_EXECUTE_TOOL);
        if (target != null) {
          span.put(GenAiAttributes.GEN_AI_TOOL_NAME, target);
          span.put(GatewayAttributes.TOOL_NAME, target);
        }
      }
      case "prompts/get" -> {
        if (target != null) {
          span.put(GenAiAttributes.GEN_AI_PROMPT_NAME, target);
          span.put(GatewayAttributes.PROMPT_NAME, target);
        }
      }
      case "resources/read", "resources/subscribe", "resources/unsubscribe" -> {
        String uri = text(params, "uri");
        if (uri != null) {
          span.put(McpAttributes.MCP_RESOURCE_URI, uri);
          span.put(GatewayAttributes.RESOURCE_URI, uri);
        }
      }
      default -> { }
    }
    span.put(GenAiAttributes.OPENINFERENCE_SPAN_KIND, kind);
  }

  private static void finish(Span span, ObjectNode response) {
    try {
      if (response == null) {
        return;
      }
      JsonNode error = response.get("error");
      if (error != null && error.isObject()) {
        String code = error.path("code").asText();
        span.setAttribute(McpAttributes.ERROR_TYPE, code);
        span.setAttribute(McpAttributes.RPC_RESPONSE_STATUS_CODE, code);
        span.setStatus(StatusCode.ERROR, error.path("message").asText());
        JsonNode data = error.get("data");
        if (data != null && data.path("plugin").isTextual()) {
          span.addEvent(EVENT_PLUGIN_BLOCKED, Attributes.builder()
              .put(GatewayAttributes.PLUGIN_NAME, data.get("plugin").textValue())
              .put(GatewayAttributes.PLUGIN_HOOK, data.path("hook").asText())
              .put(GatewayAttributes.PLUGIN_REASON, data.path("reason").asText())
              .build());
        }
        return;
      }
      JsonNode result = response.get("result");
      if (result == null) {
        return;
      }
      if (result.path("isError").asBoolean(false)) {
        span.setAttribute(McpAttributes.ERROR_TYPE, TOOL_ERROR);
        span.setStatus(StatusCode.ERROR, TOOL_ERROR);
      }
      JsonNode negotiated = result.get("protocolVersion");
      if (negotiated != null && negotiated.isTextual()) {
        span.setAttribute(McpAttributes.MCP_PROTOCOL_VERSION, negotiated.textValue());
      }
    } catch (RuntimeException e) {
      LOG.warn("could not finish the MCP server span", e);
    }
  }

  /** Ends the span: a tool call's once its tokens are counted (off this thread), any other at once. */
  private void end(Span span, ObjectNode message, ObjectNode response, Exchange exchange, Context context) {
    if (tokens == null || !"tools/call".equals(message.path("method").asText(null))) {
      span.end();
      return;
    }
    ToolCallTokens.Shared shared = context.get(ToolCallTokens.SHARED);
    if (shared != null && shared.attached()) {
      tokens.endWhenAccounted(shared);
      return;
    }
    JsonNode result = response == null ? null : response.get("result");
    String model = io.opentelemetry.api.baggage.Baggage.fromContext(context)
        .getEntryValue(GatewayTelemetry.REQUEST_MODEL_BAGGAGE);
    tokens.countThenEnd(span, message.path("params").get("arguments"), result, exchange.caller().tenantId(), model);
  }

  private static String text(ObjectNode params, String field) {
    JsonNode value = params == null ? null : params.get(field);
    return value != null && value.isTextual() ? value.textValue() : null;
  }
}
