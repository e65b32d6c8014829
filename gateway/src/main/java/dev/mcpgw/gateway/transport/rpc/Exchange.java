package dev.mcpgw.gateway.transport.rpc;

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
 */
public record Exchange(Caller caller, String requestId, Scope scope, String sessionId, Downstream downstream) {
  public Exchange {
    Objects.requireNonNull(caller, "caller");
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(scope, "scope");
    downstream = downstream == null ? Downstream.NONE : downstream;
  }

  HookContext hookContext() {
    return new HookContext(caller, requestId, scope.serverId());
  }
}
