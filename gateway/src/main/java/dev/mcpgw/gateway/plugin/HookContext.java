package dev.mcpgw.gateway.plugin;

import dev.mcpgw.gateway.auth.Caller;
import java.util.Objects;

/**
 * What a plugin may know of the request it runs in.
 *
 * @param caller the authenticated caller
 * @param requestId the request's {@code X-Request-ID}
 * @param serverId the virtual server the request came through, or {@code null} for {@code /mcp}
 */
public record HookContext(Caller caller, String requestId, String serverId) {
  public HookContext {
    Objects.requireNonNull(caller, "caller");
    Objects.requireNonNull(requestId, "requestId");
  }
}
