package dev.mcpgw.gateway.plugin;

import dev.mcpgw.gateway.config.InvalidSettingException;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** Finds the plugin kinds: every {@link PluginProvider} a class loader lists, built-ins included. */
final class PluginProviders {
  private PluginProviders() {}

  /**
   * @return the providers by kind, sorted by kind
   * @throws InvalidSettingException when a provider cannot be loaded or two providers claim the same kind
   */
  static Map<String, PluginProvider> discover(ClassLoader loader) {
    Map<String, PluginProvider> byKind = new TreeMap<>();
    try {
      for (PluginProvider p : ServiceLoader.load(PluginProvider.class, loader)) {
        PluginProvider earlier = byKind.putIfAbsent(p.kind(), p);
        if (earlier != null && earlier.getClass() != p.getClass()) {
          throw new InvalidSettingException(PluginEntryReader.SECTION, "kind '" + p.kind() + "' is provided by both "
              + earlier.getClass().getName() + " and " + p.getClass().getName() + "; remove one of the jars");
        }
      }
    } catch (ServiceConfigurationError e) {
      throw new InvalidSettingException(PluginEntryReader.SECTION, "cannot load a plugin provider: " + e.getMessage());
    }
    return byKind;
  }
}
