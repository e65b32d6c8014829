package dev.mcpgw.gateway.plugin;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** What the plugin chain decided for one hook: go on with a (possibly rewritten) payload, or stop the request. */
public sealed interface HookOutcome {

  /**
   * The request goes on.
   *
   * @param payload the payload after every plugin ran (the same instance when {@code modified} is false)
   * @param modified whether any plugin changed the payload
   */
  record Proceed(ObjectNode payload, boolean modified) implements HookOutcome {}

  /**
   * A plugin in enforce mode stopped the request.
   *
   * @param plugin the name of the plugin that blocked
   * @param reason a message for the client; never contains secrets
   * @param code the JSON-RPC error code to answer with
   */
  record Blocked(String plugin, String reason, int code) implements HookOutcome {}
}
