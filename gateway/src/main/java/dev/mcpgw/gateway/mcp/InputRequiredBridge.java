package dev.mcpgw.gateway.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.jsonrpc.JsonRpc;
import dev.mcpgw.gateway.jsonrpc.RpcException;
import dev.mcpgw.gateway.upstream.UpstreamException;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;

/**
 * Bridges a multi round-trip request (SEP-2322) of a 2026-07-28 upstream to a client with a session (2025-11-25 and
 * earlier), which knows no {@code InputRequiredResult}: each of the upstream's {@code inputRequests}
 * ({@code sampling/createMessage}, {@code elicitation/create}, {@code roots/list}) goes to the client as a
 * server-to-client request on the request's stream, exactly as an upstream's own server-to-client request would (the
 * client must have declared the capability), and the upstream request is retried with the answers as
 * {@code inputResponses} and the upstream's {@code requestState}, for at most {@link #MAX_ROUNDS} rounds. A client
 * without a session (2026-07-28) gets the {@code InputRequiredResult} itself and answers it on its own.
 */
final class InputRequiredBridge {
  /** How many times one request may ask for input before the gateway gives up on it. */
  static final int MAX_ROUNDS = 8;

  private final ClientSessions sessions;
  private final Duration timeout;

  InputRequiredBridge(ClientSessions sessions, Duration timeout) {
    this.sessions = sessions;
    this.timeout = timeout;
  }

  static boolean inputRequired(JsonNode result) {
    return result != null && "input_required".equals(result.path("resultType").asText(null));
  }

  /**
   * @param result what the upstream answered to {@code params}
   * @param retry sends the request again with the params given, and returns the upstream's answer
   * @return the upstream's final result for a session client; {@code result} itself for any other
   */
  JsonNode relay(JsonNode result, ObjectNode params, Exchange exchange, UnaryOperator<JsonNode> retry) {
    ClientSession session = sessions.get(exchange.sessionId());
    if (session == null || !inputRequired(result)) {
      return result;
    }
    JsonNode current = result;
    for (int round = 1; inputRequired(current); round++) {
      if (round > MAX_ROUNDS) {
        throw new RpcException(RpcException.INTERNAL_ERROR, "the upstream asked for input more than " + MAX_ROUNDS
            + " times for one request", null);
      }
      ObjectNode responses = JsonRpc.MAPPER.createObjectNode();
      for (Iterator<Map.Entry<String, JsonNode>> it = current.path("inputRequests").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> request = it.next();
        responses.set(request.getKey(), ask(session, request.getValue(), exchange));
      }
      ObjectNode again = params.deepCopy();
      again.set("inputResponses", responses);
      if (current.path("requestState").isTextual()) {
        again.set("requestState", current.get("requestState"));
      } else {
        again.remove("requestState");
      }
      current = retry.apply(again);
    }
    return current;
  }

  /** The client's answer to one input request, as a server-to-client request on this request's stream. */
  private JsonNode ask(ClientSession session, JsonNode request, Exchange exchange) {
    String method = request.path("method").asText("");
    ObjectNode params = request.get("params") instanceof ObjectNode p ? p.deepCopy()
        : JsonRpc.MAPPER.createObjectNode();
    try {
      return sessions.serverRequest(session, method, params, exchange.downstream())
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UpstreamException u && u.rpcError() != null) {
        throw RpcException.relayed(u.rpcError());
      }
      throw new RpcException(RpcException.INTERNAL_ERROR, "the client did not answer " + method, null);
    } catch (TimeoutException e) {
      throw new RpcException(RpcException.INTERNAL_ERROR, "the client did not answer " + method + " within "
          + timeout.toMillis() + " ms", null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RpcException(RpcException.INTERNAL_ERROR, "interrupted while the client answered " + method, null);
    }
  }
}
