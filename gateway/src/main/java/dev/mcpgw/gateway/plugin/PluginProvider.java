package dev.mcpgw.gateway.plugin;

/**
 * Builds plugins of one kind; the service interface for third-party plugins. A jar on the class path that lists its
 * implementation in {@code META-INF/services/dev.mcpgw.gateway.plugin.PluginProvider} is found by
 * {@link java.util.ServiceLoader} at start-up, and its kind can then be used in {@code config/mcpgw.yaml}.
 * Implementations need a public no-argument constructor.
 */
public interface PluginProvider {

  /** The {@code kind:} this provider builds, e.g. {@code rate_limiter}; must not clash with another provider's. */
  String kind();

  /**
   * Builds one plugin. Called once per configured entry, at start-up.
   *
   * @param config the entry's common settings (name, priority, mode, ...) and its raw {@code config:} mapping
   * @param options the same {@code config:} mapping with readers whose errors name the full key path
   * @throws IllegalArgumentException when the configuration is invalid, preferably from {@code options}, so that the
   *     message names the key (e.g. {@code plugins[2].config.limit}) and the values it accepts
   */
  Plugin create(PluginConfig config, PluginOptions options);
}
