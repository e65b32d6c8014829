package dev.mcpgw.gateway.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.CompletableFuture;

/**
 * What the registry's shared session at an upstream answers when the upstream asks the gateway something outside any
 * client's call. That session declares {@code sampling}, {@code elicitation} and {@code roots} (see
 * {@link TransportClient#registryInitializeParams()}) so that the upstream offers the tools that need them, but no
 * client stands behind it: a request that belongs to a client's call reaches that client through the call's own
 * listener and never comes here. So {@code roots/list} is answered with an empty list (the shared session exposes no
 * roots of its own: true, and what the MCP specification lets a client with no roots answer), and
 * {@code sampling/createMessage} and {@code elicitation/create} with a {@code -32601} error that says why, at once:
 * nothing waits. Notifications and other requests go to the registry's listener.
 */
final class SharedSessionRequests implements UpstreamListener {
  private final UpstreamListener registry;

  SharedSessionRequests(UpstreamListener registry) {
    this.registry = registry == null ? UpstreamListener.NONE : registry;
  }

  @Override
  public void onNotification(String method, ObjectNode params) {
    registry.onNotification(method, params);
  }

  @Override
  public CompletableFuture<JsonNode> onRequest(String method, ObjectNode params) {
    return switch (method) {
      case "roots/list" -> CompletableFuture.completedFuture(
          JsonNodeFactory.instance.objectNode().set("roots", JsonNodeFactory.instance.arrayNode()));
      case "sampling/createMessage", "elicitation/create" -> CompletableFuture.failedFuture(noClient(method));
      default -> registry.onRequest(method, params);
    };
  }

  static UpstreamException noClient(String method) {
    String message = "Method not found: " + method + " (sent outside any client's call on the gateway's shared"
        + " session: no client is there to answer it)";
    ObjectNode error = JsonNodeFactory.instance.objectNode().put("code", -32601).put("message", message);
    return new UpstreamException(null, UpstreamException.Kind.RPC_ERROR, message, error, null);
  }
}
