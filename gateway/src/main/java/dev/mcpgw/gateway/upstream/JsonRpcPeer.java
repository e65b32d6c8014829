package dev.mcpgw.gateway.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.observability.logging.ThrottledLogger;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JSON-RPC side of one upstream session, shared by every transport: numbers our requests, matches answers to
 * them, fails them on timeout or when the connection breaks, and hands the upstream's notifications and requests to
 * the listener in the order they arrived. Messages stay Jackson trees from end to end, so fields this class does not
 * know pass through untouched.
 */
final class JsonRpcPeer implements MessageTransport.Inbound {
  private static final Logger LOG = LoggerFactory.getLogger(JsonRpcPeer.class);
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final String upstream;
  private final MessageTransport transport;
  private final Executor sender;
  private final ScheduledExecutorService timer;
  private final ThrottledLogger warnings;
  private final ConcurrentMap<Long, Pending> pending = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private volatile UpstreamListener listener = UpstreamListener.NONE;
  private volatile UpstreamException closedCause;

  /**
   * @param sender runs the transport's sends; a serial executor keeps the order of writes to one pipe or stream
   * @param timer fires request timeouts
   */
  JsonRpcPeer(String upstream, MessageTransport transport, Executor sender, ScheduledExecutorService timer) {
    this.upstream = upstream;
    this.transport = transport;
    this.sender = sender;
    this.timer = timer;
    this.warnings = ThrottledLogger.of(LOG);
  }

  void setListener(UpstreamListener listener) {
    this.listener = listener == null ? UpstreamListener.NONE : listener;
  }

  /** Why the connection ended, or {@code null} while it is open. */
  UpstreamException closedCause() {
    return closedCause;
  }

  /**
   * Sends a request and completes with its result.
   *
   * @param deadlineNanos the {@link System#nanoTime()} by which the answer must have arrived
   * @param budget the whole time the caller granted, quoted in the timeout error
   * @param related receives the notifications and requests that belong to this request, or {@code null} for the
   *     session's listener
   * @param onSent told the JSON-RPC id the request goes out with (for its span)
   */
  CompletableFuture<JsonNode> request(String method, ObjectNode params, long deadlineNanos, Duration budget,
      Map<String, String> headers, UpstreamListener related, java.util.function.LongConsumer onSent) {
    CompletableFuture<JsonNode> future = new CompletableFuture<>();
    UpstreamException closed = closedCause;
    if (closed != null) {
      future.completeExceptionally(UpstreamErrors.copy(closed));
      return future;
    }
    long id = ids.incrementAndGet();
    onSent.accept(id);
    ObjectNode message = NODES.objectNode().put("jsonrpc", "2.0").put("id", id).put("method", method);
    if (params != null) {
      message.set("params", params);
    }
    Pending p = new Pending(id, method, params == null ? null : params.path("_meta").get("progressToken"), related,
        future);
    pending.put(id, p);
    ScheduledFuture<?> timeout = timer.schedule(() -> {
      if (future.completeExceptionally(UpstreamErrors.timeout(upstream, method, budget))) {
        cancelUpstream(p, "timeout");
      }
    }, Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    future.whenComplete((r, e) -> {
      pending.remove(id);
      timeout.cancel(false);
      if (future.isCancelled()) {
        cancelUpstream(p, "cancelled by the client");
      }
    });
    // a closed() racing with put() above: fail what it may have missed
    UpstreamException raced = closedCause;
    if (raced != null) {
      future.completeExceptionally(UpstreamErrors.copy(raced));
      return future;
    }
    execute(() -> {
      try {
        transport.send(message, headers, future);
      } catch (UpstreamException e) {
        future.completeExceptionally(e);
      } catch (RuntimeException e) {
        future.completeExceptionally(UpstreamErrors.unavailable(upstream, "did not receive " + method + ": "
            + UpstreamErrors.describe(e), e));
      }
    }, future);
    return future;
  }

  /** Sends a notification; failures are logged. */
  void notify(String method, ObjectNode params) {
    ObjectNode message = NODES.objectNode().put("jsonrpc", "2.0").put("method", method);
    if (params != null) {
      message.set("params", params);
    }
    sendQuietly(message, method);
  }

  /** Sends {@code message} on the caller's thread; for the handshake, whose order matters. */
  void sendNow(ObjectNode message) {
    transport.send(message, Map.of(), null);
  }

  @Override
  public void message(JsonNode message, Long relatedRequestId) {
    if (message.isArray()) {
      for (JsonNode m : message) {
        dispatch(m, relatedRequestId);
      }
    } else {
      dispatch(message, relatedRequestId);
    }
  }

  @Override
  public void closed(UpstreamException cause) {
    if (closedCause == null) {
      closedCause = cause;
    }
    for (Pending p : pending.values()) {
      p.future().completeExceptionally(UpstreamErrors.copy(cause));
    }
  }

  private void dispatch(JsonNode m, Long related) {
    if (!m.isObject()) {
      warnings.warn("upstream '{}' sent a message that is not a JSON object; ignored", upstream);
      return;
    }
    JsonNode method = m.get("method");
    JsonNode id = m.get("id");
    ObjectNode params = m.get("params") instanceof ObjectNode o ? o : null;
    if (method != null && method.isTextual()) {
      if (id == null || id.isNull()) {
        onNotification(method.asText(), params, related);
      } else {
        onRequest(id, method.asText(), params, related);
      }
    } else if (id != null && !id.isNull()) {
      onResponse(m, id);
    } else {
      warnings.warn("upstream '{}' sent a message that is neither request, notification nor response; ignored",
          upstream);
    }
  }

  private void onResponse(JsonNode m, JsonNode id) {
    Pending p = id.canConvertToLong() ? pending.get(id.asLong()) : null;
    if (p == null && id.isTextual()) {
      try {
        p = pending.get(Long.parseLong(id.asText()));
      } catch (NumberFormatException e) {
        p = null;
      }
    }
    if (p == null) {
      // answers to requests that timed out or were cancelled arrive late: expected, not worth a warning
      LOG.debug("upstream '{}' answered request {} which is no longer waiting", upstream, id);
      return;
    }
    JsonNode error = m.get("error");
    if (error != null && !error.isNull()) {
      p.future().completeExceptionally(UpstreamErrors.rpcError(upstream, p.method(), error));
    } else if (m.has("result")) {
      p.future().complete(m.get("result"));
    } else {
      p.future().completeExceptionally(UpstreamErrors.protocol(upstream,
          "answered " + p.method() + " with neither result nor error"));
    }
  }

  private void onNotification(String method, ObjectNode params, Long related) {
    UpstreamListener target = route(method, params, related);
    try {
      target.onNotification(method, params);
    } catch (RuntimeException e) {
      warnings.warn("upstream '{}' listener failed on {}: {}", upstream, method, UpstreamErrors.describe(e));
    }
  }

  private void onRequest(JsonNode id, String method, ObjectNode params, Long related) {
    if ("ping".equals(method)) {
      // liveness of this hop: answered here, it says nothing about the clients behind the gateway
      reply(id, method, NODES.objectNode(), null);
      return;
    }
    CompletableFuture<JsonNode> answer;
    try {
      answer = route(method, params, related).onRequest(method, params);
    } catch (RuntimeException e) {
      answer = CompletableFuture.failedFuture(e);
    }
    if (answer == null) {
      answer = CompletableFuture.failedFuture(new IllegalStateException("listener returned no answer"));
    }
    answer.whenComplete((result, error) -> reply(id, method, result, error));
  }

  /** The listener of the request a message belongs to (by stream or progress token), else the session's. */
  private UpstreamListener route(String method, ObjectNode params, Long related) {
    Pending p = related == null ? null : pending.get(related);
    if (p == null && params != null && "notifications/progress".equals(method) && params.hasNonNull("progressToken")) {
      JsonNode token = params.get("progressToken");
      for (Pending candidate : pending.values()) {
        if (token.equals(candidate.progressToken())) {
          p = candidate;
          break;
        }
      }
    }
    return p != null && p.related() != null ? p.related() : listener;
  }

  private void reply(JsonNode id, String method, JsonNode result, Throwable error) {
    ObjectNode response = NODES.objectNode().put("jsonrpc", "2.0");
    response.set("id", id);
    if (error == null) {
      response.set("result", result == null ? NODES.objectNode() : result);
    } else {
      Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
          ? error.getCause() : error;
      if (cause instanceof UpstreamException u && u.rpcError() != null) {
        response.set("error", u.rpcError());
      } else {
        LOG.debug("answering {} of upstream '{}' with an internal error: {}", method, upstream, cause.toString());
        response.set("error", NODES.objectNode().put("code", -32603).put("message", "Internal error handling " + method));
      }
    }
    sendQuietly(response, method);
  }

  private void cancelUpstream(Pending p, String reason) {
    if ("initialize".equals(p.method()) || closedCause != null) {
      return; // the spec forbids cancelling initialize; a closed session has nobody to tell
    }
    ObjectNode params = NODES.objectNode().put("requestId", p.id()).put("reason", reason);
    notify("notifications/cancelled", params);
  }

  private void sendQuietly(ObjectNode message, String method) {
    execute(() -> {
      try {
        transport.send(message, Map.of(), null);
      } catch (RuntimeException e) {
        warnings.warn("upstream '{}' did not receive {}: {}", upstream, method, e.getMessage());
      }
    }, null);
  }

  private void execute(Runnable task, CompletableFuture<?> failOnReject) {
    try {
      sender.execute(task);
    } catch (RejectedExecutionException e) {
      UpstreamException u = UpstreamErrors.unavailable(upstream, closedCause != null ? "session is closed"
          : "has too many messages waiting to be sent");
      if (failOnReject != null) {
        failOnReject.completeExceptionally(u);
      } else {
        warnings.warn("upstream '{}': {}", upstream, u.getMessage());
      }
    }
  }

  private record Pending(long id, String method, JsonNode progressToken, UpstreamListener related,
      CompletableFuture<JsonNode> future) {}
}
