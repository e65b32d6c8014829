package dev.mcpgw.gateway.plugin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/** What one plugin decided: go on unchanged, go on with a rewritten payload, or block the request. */
public sealed interface PluginResult {

  /**
   * The JSON-RPC error code of a policy block ({@code -32000..-32099} is the range JSON-RPC leaves to servers). The
   * built-ins use it, so that clients can tell "refused by the gateway's policy" from upstream and protocol errors.
   */
  int POLICY_VIOLATION = -32001;

  /** Go on with the payload as it was given. */
  static PluginResult proceed() {
    return Continue.INSTANCE;
  }

  /** Go on with {@code payload} (the plugin's copy, possibly changed in place). */
  static PluginResult modified(ObjectNode payload) {
    return new Modified(payload);
  }

  /** Stop the request with {@link #POLICY_VIOLATION}. */
  static PluginResult block(String reason) {
    return new Block(reason, POLICY_VIOLATION);
  }

  /** Continue with the payload unchanged. */
  enum Continue implements PluginResult {
    INSTANCE
  }

  /**
   * Continue with a rewritten payload.
   *
   * @param payload the payload the next plugin sees
   */
  record Modified(ObjectNode payload) implements PluginResult {
    public Modified {
      Objects.requireNonNull(payload, "payload");
    }
  }

  /**
   * Stop the request (in enforce mode; a permissive plugin's block is only logged).
   *
   * @param reason a message for the client; must not contain secrets
   * @param code the JSON-RPC error code to answer with
   */
  record Block(String reason, int code) implements PluginResult {
    public Block {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
