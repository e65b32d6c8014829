package dev.mcpgw.gateway.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.jsonrpc.JsonRpc;
import dev.mcpgw.gateway.jsonrpc.RpcException;
import dev.mcpgw.gateway.upstream.UpstreamException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server-to-client requests ({@code sampling/createMessage}, {@code elicitation/create}, {@code roots/list}) of
 * one downstream session that wait for the client's answer. Each goes to the client under an id of the gateway's own:
 * the upstream's id means nothing to the client (several upstreams may use the same one) and the client's answer is
 * matched here, in the session it arrived on, so one client can never answer another's request. An answer that does
 * not come within the timeout, or a session that ends, answers the upstream with an error; nothing outlives either.
 */
final class ServerRequests {
  private static final String PREFIX = "mcpgw-s2c-";

  private final ConcurrentMap<String, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final AtomicLong sequence = new AtomicLong();
  private final Duration timeout;
  private volatile boolean closed;

  ServerRequests(Duration timeout) {
    this.timeout = timeout;
  }

  /**
   * Sends the request to the first of {@code routes} that takes it.
   *
   * @return the client's result; fails with an {@link UpstreamException} of kind {@code RPC_ERROR} (the client's own
   *     error, or the gateway's when no route took the request, the client did not answer in time or went away)
   */
  CompletableFuture<JsonNode> send(String method, ObjectNode params, List<Downstream> routes) {
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    if (closed) {
      answer.completeExceptionally(error(RpcException.INTERNAL_ERROR, "the client's session has ended"));
      return answer;
    }
    String id = PREFIX + sequence.incrementAndGet();
    pending.put(id, answer);
    answer.whenComplete((result, failure) -> pending.remove(id, answer));
    ObjectNode request = JsonRpc.MAPPER.createObjectNode().put("jsonrpc", "2.0").put("id", id).put("method", method);
    if (params != null) {
      request.set("params", params);
    }
    Downstream delivered = null;
    for (Downstream route : routes) {
      if (route != null && deliver(route, request)) {
        delivered = route;
        break;
      }
    }
    if (delivered == null) {
      answer.completeExceptionally(error(RpcException.INTERNAL_ERROR,
          "the client has no open stream to receive " + method));
      return answer;
    }
    Downstream route = delivered;
    CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
      if (answer.completeExceptionally(error(RpcException.INTERNAL_ERROR,
          "the client did not answer " + method + " within " + timeout.toMillis() + " ms"))) {
        // the client may still be showing a dialog: tell it the request is over
        route.send(JsonRpc.notification("notifications/cancelled", JsonRpc.MAPPER.createObjectNode()
            .put("requestId", id).put("reason", "timed out at the gateway")));
      }
    });
    if (closed) {
      answer.completeExceptionally(error(RpcException.INTERNAL_ERROR, "the client's session has ended"));
    }
    return answer;
  }

  private static boolean deliver(Downstream route, ObjectNode request) {
    try {
      return route.deliver(request);
    } catch (RuntimeException e) {
      // a stream that fails is one that cannot take the request: the next route may
      return false;
    }
  }

  /**
   * Completes the request a client's JSON-RPC response answers.
   *
   * @return {@code false} when it answers nothing waiting here (unknown id, timed out, answered already)
   */
  boolean answer(ObjectNode response) {
    JsonNode id = response.get("id");
    if (id == null || !id.isTextual() || !id.textValue().startsWith(PREFIX)) {
      return false;
    }
    CompletableFuture<JsonNode> waiting = pending.get(id.textValue());
    if (waiting == null) {
      return false;
    }
    JsonNode failure = response.get("error");
    if (failure != null && !failure.isNull()) {
      String message = failure.path("message").asText("the client answered with an error");
      return waiting.completeExceptionally(
          new UpstreamException(null, UpstreamException.Kind.RPC_ERROR, message, failure, null));
    }
    JsonNode result = response.get("result");
    return waiting.complete(result == null ? JsonRpc.MAPPER.createObjectNode() : result);
  }

  /** Answers every waiting request with an error; later requests fail at once. */
  void close(String reason) {
    closed = true;
    List.copyOf(pending.values()).forEach(f -> f.completeExceptionally(error(RpcException.INTERNAL_ERROR, reason)));
  }

  int size() {
    return pending.size();
  }

  static UpstreamException error(int code, String message) {
    ObjectNode error = JsonRpc.MAPPER.createObjectNode().put("code", code).put("message", message);
    return new UpstreamException(null, UpstreamException.Kind.RPC_ERROR, message, error, null);
  }
}
