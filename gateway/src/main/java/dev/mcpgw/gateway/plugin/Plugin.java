package dev.mcpgw.gateway.plugin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/**
 * One plugin instance, built by a {@link PluginProvider} from its configuration. The chain calls {@link #apply} on
 * every request that reaches one of the plugin's hooks, from many threads at once, so implementations must be
 * thread-safe. A plugin may throw: the chain isolates it (see {@link PluginConfig.OnError}), but a plugin should rather
 * return a result.
 */
public interface Plugin {

  /** The hooks this plugin can run at; the configuration's {@code hooks} may narrow them, never widen them. */
  Set<Hook> hooks();

  /**
   * Whether {@link #apply} may change the payload it is given (in place or by returning a new one). Only such plugins
   * get a private deep copy of the payload; every other plugin sees the chain's current payload and must treat it as
   * read-only. A plugin that returns {@link PluginResult.Modified} without declaring this is treated as failing.
   */
  default boolean modifiesPayload() {
    return false;
  }

  /**
   * Inspects (and, when {@link #modifiesPayload()}, may rewrite) the payload of one hook.
   *
   * @param hook the hook being run; one of {@link #hooks()}
   * @param context who calls and through which server
   * @param payload the payload as the previous plugin left it (see {@link Hook} for its shape)
   * @return what to do; never {@code null} (a {@code null} is treated as a failure of the plugin)
   */
  PluginResult apply(Hook hook, HookContext context, ObjectNode payload);
}
