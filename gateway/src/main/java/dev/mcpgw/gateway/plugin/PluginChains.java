package dev.mcpgw.gateway.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgw.gateway.config.InvalidSettingException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the {@link PluginChain} from the {@code plugins:} section of {@code config/mcpgw.yaml}, once, at start-up.
 * Every configuration error is thrown here, as an {@link IllegalArgumentException} (an {@link InvalidSettingException})
 * naming the key path and the allowed values, e.g. {@code plugins[1].mode: 'strict' is not one of enforce,
 * permissive, disabled}; once built, the chain never throws.
 */
public final class PluginChains {
  private static final Logger LOG = LoggerFactory.getLogger(PluginChains.class);

  private PluginChains() {}

  /** The chain configured by {@code pluginsSection} (the {@code plugins:} list; null or missing: no plugins). */
  public static PluginChain fromConfig(JsonNode pluginsSection) {
    return fromConfig(pluginsSection, PluginChainListener.NOOP);
  }

  /** The same, reporting every plugin run to {@code listener}. */
  public static PluginChain fromConfig(JsonNode pluginsSection, PluginChainListener listener) {
    return fromConfig(pluginsSection, listener, PluginChains.class.getClassLoader());
  }

  /**
   * The same, finding plugin kinds among the {@link PluginProvider}s that {@code loader} lists (the built-ins are
   * listed by the gateway's own jar).
   */
  public static PluginChain fromConfig(JsonNode pluginsSection, PluginChainListener listener, ClassLoader loader) {
    List<PluginEntryReader.Entry> entries = PluginEntryReader.read(pluginsSection);
    if (entries.isEmpty()) {
      return PluginChain.empty();
    }
    Map<String, PluginProvider> providers = PluginProviders.discover(loader);
    List<ConfiguredPlugin> plugins = new ArrayList<>();
    for (PluginEntryReader.Entry entry : entries) {
      PluginConfig config = entry.config();
      if (config.mode() == PluginConfig.Mode.DISABLED) {
        // not built: a disabled entry may name a kind whose jar was taken away
        continue;
      }
      PluginProvider provider = providers.get(config.kind());
      if (provider == null) {
        throw new InvalidSettingException(entry.path() + ".kind", "'" + config.kind() + "' is not one of "
            + String.join(", ", providers.keySet()) + " (add a jar with a PluginProvider for other kinds)");
      }
      plugins.add(build(entry, provider));
    }
    return of(plugins, listener);
  }

  /**
   * A chain over plugins built elsewhere (embedding, tests, benchmarks): ordered by priority, disabled ones left out.
   *
   * @throws IllegalArgumentException when a plugin is configured at a hook it does not handle
   */
  public static PluginChain of(List<ConfiguredPlugin> plugins, PluginChainListener listener) {
    OrderedPluginChain chain = OrderedPluginChain.create(plugins, listener, System::nanoTime);
    if (chain.isEmpty()) {
      return PluginChain.empty();
    }
    LOG.info("plugins: {}", plugins.stream()
        .filter(p -> p.config().mode() != PluginConfig.Mode.DISABLED)
        .map(p -> p.config().name() + " (" + p.config().kind() + ", priority " + p.config().priority() + ", "
            + p.config().mode().configName() + ") at " + EnumSet.copyOf(p.activeHooks()).stream().map(Hook::configName)
            .collect(Collectors.joining("|")))
        .collect(Collectors.joining("; ")));
    return chain;
  }

  private static ConfiguredPlugin build(PluginEntryReader.Entry entry, PluginProvider provider) {
    PluginConfig config = entry.config();
    Plugin plugin;
    Set<Hook> handled;
    try {
      plugin = provider.create(config, entry.options());
      handled = plugin == null ? null : plugin.hooks();
    } catch (IllegalArgumentException e) {
      // InvalidSettingException from PluginOptions already names the key; anything else is named by the entry
      throw e instanceof InvalidSettingException ? e
          : new InvalidSettingException(entry.path() + ".config", "rejected by kind " + config.kind() + ": " + e.getMessage());
    } catch (RuntimeException | LinkageError e) {
      throw new InvalidSettingException(entry.path(), "kind " + config.kind() + " failed to build the plugin: "
          + e.getClass().getName());
    }
    if (plugin == null || handled == null || handled.isEmpty()) {
      throw new InvalidSettingException(entry.path(), "kind " + config.kind() + " built no plugin or one with no hooks");
    }
    Set<Hook> unhandled = ConfiguredPlugin.unhandledHooks(config, plugin);
    if (!unhandled.isEmpty()) {
      throw new InvalidSettingException(entry.path() + ".hooks", unhandled.stream().map(Hook::configName)
          .collect(Collectors.joining("', '", "'", "'")) + " not handled by " + config.name() + "; allowed: "
          + handled.stream().sorted().map(Hook::configName).collect(Collectors.joining(", ")));
    }
    return new ConfiguredPlugin(config, plugin);
  }
}
