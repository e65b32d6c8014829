package dev.mcpgw.gateway.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.CompletableFuture;

/** Receives what an upstream sends on its own: notifications and server-to-client requests. */
public interface UpstreamListener {

  /** A notification such as {@code notifications/tools/list_changed} or {@code notifications/progress}. */
  void onNotification(String method, ObjectNode params);

  /**
   * A server-to-client request ({@code sampling/createMessage}, {@code elicitation/create}, {@code roots/list},
   * {@code ping}). Completes with the result, or exceptionally with an {@link UpstreamException} of kind
   * {@code RPC_ERROR} whose error object is sent back.
   */
  default CompletableFuture<JsonNode> onRequest(String method, ObjectNode params) {
    return CompletableFuture.failedFuture(UpstreamException.methodNotFound(method));
  }

  /** Ignores everything. */
  UpstreamListener NONE = (method, params) -> {};
}
