package dev.mcpgw.gateway.plugin;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A built plugin with its configuration: what {@link PluginChains#of} orders into a chain.
 *
 * @param config the entry's settings
 * @param plugin the plugin built from them
 */
public record ConfiguredPlugin(PluginConfig config, Plugin plugin) {
  public ConfiguredPlugin {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(plugin, "plugin");
    Set<Hook> unhandled = unhandledHooks(config, plugin);
    if (!unhandled.isEmpty()) {
      throw new IllegalArgumentException("plugin '" + config.name() + "' does not handle " + unhandled);
    }
  }

  /** Where the chain runs the plugin: the configured hooks, or every hook it handles when none are configured. */
  public Set<Hook> activeHooks() {
    return config.hooks().isEmpty() ? plugin.hooks() : config.hooks();
  }

  /** The configured hooks that the plugin does not handle. */
  static Set<Hook> unhandledHooks(PluginConfig config, Plugin plugin) {
    if (config.hooks().isEmpty()) {
      return Set.of();
    }
    Set<Hook> out = EnumSet.copyOf(config.hooks());
    out.removeAll(plugin.hooks());
    return out;
  }
}
