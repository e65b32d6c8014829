package dev.mcpgw.gateway.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.mcp.ForwardTracing;
import dev.mcpgw.gateway.usage.TokenCounter;
import dev.mcpgw.observability.privacy.PayloadCapture;
import java.util.concurrent.CompletableFuture;
import dev.mcpgw.gateway.jsonrpc.RpcException;
import dev.mcpgw.observability.semconv.GatewayAttributes;
import dev.mcpgw.observability.semconv.McpAttributes;
import dev.mcpgw.observability.semconv.UpstreamAttributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.function.Supplier;

/**
 * The INTERNAL {@code gateway.forward} span: a child of the current (MCP SERVER) span and current itself while the
 * call is forwarded, so the upstream client's CLIENT span is its child. It names the peer ({@code peer.service}, the
 * federated trace's attribute, and {@code mcpgw.upstream.name}) and fails with the JSON-RPC code the client gets.
 * Server-to-client requests relayed back to the client get their CLIENT span from {@link ServerRequestSpans}.
 */
final class ForwardSpans implements ForwardTracing {
  private final Tracer tracer;
  private final ServerRequestSpans serverRequests;

  ForwardSpans(Tracer tracer) {
    this(tracer, PayloadCapture.disabled(), null);
  }

  /** @param tokens estimates the tokens of relayed sampling requests; {@code null} for none */
  ForwardSpans(Tracer tracer, PayloadCapture payloads, TokenCounter tokens) {
    this.tracer = tracer;
    this.serverRequests = new ServerRequestSpans(tracer, payloads, tokens);
  }

  /** The CLIENT span of a server-to-client request relayed to the client ({@link ServerRequestSpans}). */
  @Override
  public CompletableFuture<JsonNode> serverRequest(String method, ObjectNode params,
      Supplier<CompletableFuture<JsonNode>> send) {
    return serverRequests.around(method, params, send);
  }

  /** The context current now (the {@code gateway.forward} span), made current again for each relayed request. */
  @Override
  @SuppressWarnings("try") // the scope only makes the context current for the block
  public java.util.function.Function<Supplier<CompletableFuture<JsonNode>>, CompletableFuture<JsonNode>>
      relayedFromHere() {
    Context here = Context.current();
    return work -> {
      try (Scope ignored = here.makeCurrent()) {
        return work.get();
      }
    };
  }

  @Override
  @SuppressWarnings("try") // the scope only makes the span current for the block
  public <T> T around(String upstream, String method, Supplier<T> forward) {
    Context parent = Context.current();
    Span span = SpanAttributes.start(tracer.spanBuilder(GatewayAttributes.SPAN_GATEWAY_FORWARD)
        .setSpanKind(SpanKind.INTERNAL).setParent(parent), parent, a -> a
        .put(UpstreamAttributes.PEER_SERVICE, upstream)
        .put(UpstreamAttributes.UPSTREAM_NAME, upstream)
        .put(McpAttributes.MCP_METHOD_NAME, method));
    try (Scope ignored = span.makeCurrent()) {
      return forward.get();
    } catch (RpcException e) {
      span.setAttribute(McpAttributes.ERROR_TYPE, Integer.toString(e.code()));
      span.setStatus(StatusCode.ERROR, e.getMessage());
      throw e;
    } catch (RuntimeException | Error e) {
      span.recordException(e);
      span.setAttribute(McpAttributes.ERROR_TYPE, e.getClass().getName());
      span.setStatus(StatusCode.ERROR);
      throw e;
    } finally {
      span.end();
    }
  }
}
