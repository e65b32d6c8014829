package dev.mcpgw.gateway.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgw.gateway.auth.Caller;
import dev.mcpgw.gateway.catalog.Scope;
import dev.mcpgw.gateway.plugin.HookContext;
import java.util.Objects;

/**
 * What the dispatcher knows of the request a message came in, besides the message.
 *
 * @param caller the authenticated caller ({@link Caller#ANONYMOUS} without authentication)
 * @param requestId the HTTP request's {@code X-Request-ID}
 * @param scope {@code /mcp} (everything) or one virtual server
 * @param sessionId the downstream MCP session, or {@code null} (initialize, or a transport without sessions)
 * @param downstream where notifications for the running request go
 * @param rpcId the JSON-RPC id of the request being answered (set by the dispatcher), or {@code null}
 */
public record Exchange(Caller caller, String requestId, Scope scope, String sessionId, Downstream downstream,
    JsonNode rpcId) {
  public Exchange {
    Objects.requireNonNull(caller, "caller");
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(scope, "scope");
    downstream = downstream == null ? Downstream.NONE : downstream;
  }

  /** An exchange for the messages of one HTTP request, before the dispatcher knows which JSON-RPC request it runs. */
  public Exchange(Caller caller, String requestId, Scope scope, String sessionId, Downstream downstream) {
    this(caller, requestId, scope, sessionId, downstream, null);
  }

  Exchange forRequest(JsonNode id) {
    return new Exchange(caller, requestId, scope, sessionId, downstream, id);
  }

  HookContext hookContext() {
    return new HookContext(caller, requestId, scope.serverId());
  }
}
