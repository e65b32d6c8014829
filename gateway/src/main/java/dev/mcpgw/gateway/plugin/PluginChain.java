package dev.mcpgw.gateway.plugin;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The configured plugins, run in priority order at each {@link Hook}. The one dispatch point through which every
 * plugin call passes, so that isolation (a throwing plugin never breaks a request unless it enforces) and tracing
 * live in one place. Implementations never throw.
 */
public interface PluginChain {

  /** Runs every plugin registered for {@code hook} on {@code payload}. */
  HookOutcome run(Hook hook, HookContext context, ObjectNode payload);

  /** A chain with no plugins: every hook proceeds with the payload unchanged. */
  static PluginChain empty() {
    return (hook, context, payload) -> new HookOutcome.Proceed(payload, false);
  }
}
