package dev.mcpgw.gateway.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.upstream.TracedRequest;
import dev.mcpgw.gateway.upstream.UpstreamException;
import dev.mcpgw.observability.logging.ThrottledLogger;
import dev.mcpgw.observability.propagation.McpMetaCarrier;
import dev.mcpgw.observability.semconv.McpAttributes;
import dev.mcpgw.observability.semconv.UpstreamAttributes;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/**
 * One request's CLIENT span. It is carried explicitly from the caller's thread to wherever the request's events
 * happen (the retry timer, the transport's reader), never looked up in the current context there.
 */
final class SpanTracedRequest implements TracedRequest {
  private static final ThrottledLogger LOG = ThrottledLogger.of(LoggerFactory.getLogger(SpanTracedRequest.class));

  private final Span span;
  private final Context context;
  private final TextMapPropagator propagator;
  private final boolean http;
  private final String method;
  private final AtomicBoolean ended = new AtomicBoolean();
  private volatile int retries;

  /** @param context what to inject: the span's context with the caller's (limited) baggage */
  SpanTracedRequest(Span span, Context context, TextMapPropagator propagator, boolean http, String method) {
    this.span = span;
    this.context = context;
    this.propagator = propagator;
    this.http = http;
    this.method = method;
  }

  /**
   * A shallow copy of {@code original} whose {@code _meta} is a copy too, holding this span's context in place of
   * whatever propagation fields the caller's {@code _meta} had (the caller's own context is this span's parent, and
   * a stale {@code tracestate} must not travel with a new {@code traceparent}). The original is not touched: it may
   * be the downstream client's params, still used elsewhere.
   */
  @Override
  public ObjectNode params(ObjectNode original) {
    try {
      ObjectNode copy = JsonNodeFactory.instance.objectNode();
      if (original != null) {
        copy.setAll(original);
      }
      JsonNode meta = copy.get(McpMetaCarrier.META);
      if (meta instanceof ObjectNode m) {
        ObjectNode fresh = m.deepCopy();
        for (String field : propagator.fields()) {
          fresh.remove(field);
        }
        copy.set(McpMetaCarrier.META, fresh);
      }
      McpMetaCarrier.inject(propagator, context, copy);
      return original == null && copy.isEmpty() ? null : copy;
    } catch (RuntimeException e) {
      LOG.warn("upstream tracing: could not put the trace context into {}: {}", method, String.valueOf(e));
      return original;
    }
  }

  @Override
  public Map<String, String> headers(Map<String, String> original) {
    if (!http) {
      return original; // stdio has no headers: _meta carries the context alone
    }
    try {
      Map<String, String> headers = new HashMap<>(original);
      propagator.inject(context, headers, (carrier, key, value) -> {
        if (carrier != null && key != null && value != null) {
          carrier.put(key, value);
        }
      });
      return headers;
    } catch (RuntimeException e) {
      LOG.warn("upstream tracing: could not put the trace context into the headers of {}: {}", method,
          String.valueOf(e));
      return original;
    }
  }

  @Override
  public void sent(long id) {
    if (span.isRecording()) {
      span.setAttribute(McpAttributes.JSONRPC_REQUEST_ID, Long.toString(id));
    }
  }

  @Override
  public void retrying(int retry, Throwable previous, long waitedNanos) {
    retries = retry;
    if (!span.isRecording()) {
      return;
    }
    try {
      span.addEvent(UpstreamAttributes.EVENT_RETRY, Attributes.of(
          UpstreamAttributes.RETRY_ATTEMPT, (long) retry,
          McpAttributes.ERROR_TYPE, errorType(previous),
          UpstreamAttributes.RETRY_BACKOFF_MS, TimeUnit.NANOSECONDS.toMillis(Math.max(0, waitedNanos))));
    } catch (RuntimeException e) {
      LOG.warn("upstream tracing: could not record a retry of {}: {}", method, String.valueOf(e));
    }
  }

  @Override
  public void breakerChanged(String from, String to) {
    if (!span.isRecording()) {
      return;
    }
    try {
      span.addEvent(UpstreamAttributes.EVENT_CIRCUIT_BREAKER_STATE_CHANGE, Attributes.of(
          UpstreamAttributes.CIRCUIT_BREAKER_FROM, from, UpstreamAttributes.CIRCUIT_BREAKER_TO, to));
    } catch (RuntimeException e) {
      LOG.warn("upstream tracing: could not record a breaker transition during {}: {}", method,
          String.valueOf(e));
    }
  }

  @Override
  public <T extends JsonNode> CompletableFuture<T> around(CompletableFuture<T> call, Supplier<String> breakerState) {
    CompletableFuture<T> out = new CompletableFuture<>();
    call.whenComplete((result, error) -> {
      end(result, error, breakerState);
      if (error == null) {
        out.complete(result);
      } else {
        out.completeExceptionally(UpstreamException.unwrap(error));
      }
    });
    out.whenComplete((r, e) -> {
      if (out.isCancelled()) {
        call.cancel(true);
      }
    });
    return out;
  }

  private void end(JsonNode result, Throwable error, Supplier<String> breakerState) {
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    if (!span.isRecording()) {
      span.end();
      return;
    }
    try {
      span.setAttribute(UpstreamAttributes.CIRCUIT_BREAKER_STATE, breakerState.get());
      if (retries > 0) {
        span.setAttribute(UpstreamAttributes.RETRY_COUNT, (long) retries);
      }
      if (error != null) {
        fail(UpstreamException.unwrap(error));
      } else if ("tools/call".equals(method) && result != null && result.path("isError").asBoolean(false)) {
        span.setAttribute(McpAttributes.ERROR_TYPE, UpstreamAttributes.ERROR_TOOL);
        span.setStatus(StatusCode.ERROR, "the tool answered with isError");
      }
    } catch (RuntimeException e) {
      LOG.warn("upstream tracing: could not record the outcome of {}: {}", method, String.valueOf(e));
    } finally {
      span.end();
    }
  }

  private void fail(Throwable cause) {
    String type = errorType(cause);
    span.setAttribute(McpAttributes.ERROR_TYPE, type);
    if (cause instanceof UpstreamException u && u.kind() == UpstreamException.Kind.RPC_ERROR && u.rpcError() != null) {
      span.setAttribute(McpAttributes.RPC_RESPONSE_STATUS_CODE, type);
      span.setStatus(StatusCode.ERROR, u.rpcError().path("message").asText(u.getMessage()));
      return; // the upstream answered: no exception of ours to record
    }
    span.recordException(cause);
    span.setStatus(StatusCode.ERROR, cause.getMessage() == null ? type : cause.getMessage());
  }

  /**
   * {@code error.type}: the JSON-RPC error code of an error answer, the kind of failure the gateway itself saw
   * ({@code timeout}, {@code circuit_open}, {@code unavailable}, {@code protocol_error}, {@code cancelled}), else the
   * exception's class.
   */
  static String errorType(Throwable error) {
    Throwable cause = UpstreamException.unwrap(error);
    if (cause instanceof UpstreamException u) {
      return switch (u.kind()) {
        case RPC_ERROR -> u.rpcError() != null && u.rpcError().has("code")
            ? u.rpcError().get("code").asText() : "rpc_error";
        case TIMEOUT -> UpstreamAttributes.ERROR_TIMEOUT;
        case CIRCUIT_OPEN -> UpstreamAttributes.ERROR_CIRCUIT_OPEN;
        case UNAVAILABLE -> UpstreamAttributes.ERROR_UNAVAILABLE;
        case PROTOCOL -> UpstreamAttributes.ERROR_PROTOCOL;
      };
    }
    if (cause instanceof CancellationException) {
      return UpstreamAttributes.ERROR_CANCELLED;
    }
    return cause == null ? "unknown" : cause.getClass().getName();
  }
}
