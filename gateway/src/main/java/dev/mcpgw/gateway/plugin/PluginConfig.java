package dev.mcpgw.gateway.plugin;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * One entry of the {@code plugins:} list in {@code config/mcpgw.yaml}.
 *
 * @param name unique among the configured plugins; appears in logs, spans and block answers
 * @param kind which {@link PluginProvider} builds the plugin ({@code rate_limiter}, {@code deny_list}, ...)
 * @param priority lower runs first; plugins with equal priority run in configuration order
 * @param mode whether the plugin's blocks stop requests
 * @param onError what a failure of the plugin does to the request
 * @param hooks where the plugin runs; empty means at every hook the plugin handles
 * @param config the plugin's own settings (the {@code config:} mapping); a private copy, never {@code null}
 */
public record PluginConfig(
    String name, String kind, int priority, Mode mode, OnError onError, Set<Hook> hooks, ObjectNode config) {

  /** The priority of a plugin whose configuration gives none. */
  public static final int DEFAULT_PRIORITY = 100;

  public PluginConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(onError, "onError");
    hooks = hooks == null || hooks.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(hooks));
    config = config == null ? JsonNodeFactory.instance.objectNode() : config.deepCopy();
  }

  /** A configuration with the defaults: priority 100, enforce, on_error ignore, every hook, empty config. */
  public static Builder builder(String name, String kind) {
    return new Builder(name, kind);
  }

  /** What a plugin's decision to block does. */
  public enum Mode {
    /** A block stops the request. */
    ENFORCE,
    /** A block is logged (rate-limited) and the request goes on. */
    PERMISSIVE,
    /** The plugin is not built into the chain at all. */
    DISABLED;

    /** The spelling in YAML. */
    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** What happens to the request when the plugin throws or returns an invalid result. */
  public enum OnError {
    /** The failure is logged (rate-limited) and the request goes on unchanged by this plugin. */
    IGNORE,
    /** In enforce mode the request is blocked with -32603 naming the plugin; in permissive mode it is only logged. */
    FAIL;

    /** The spelling in YAML. */
    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Builds a {@link PluginConfig}; every setter is optional. */
  public static final class Builder {
    private final String name;
    private final String kind;
    private int priority = DEFAULT_PRIORITY;
    private Mode mode = Mode.ENFORCE;
    private OnError onError = OnError.IGNORE;
    private Set<Hook> hooks = Set.of();
    private ObjectNode config;

    private Builder(String name, String kind) {
      this.name = name;
      this.kind = kind;
    }

    public Builder priority(int value) {
      this.priority = value;
      return this;
    }

    public Builder mode(Mode value) {
      this.mode = value;
      return this;
    }

    public Builder onError(OnError value) {
      this.onError = value;
      return this;
    }

    public Builder hooks(Set<Hook> value) {
      this.hooks = value;
      return this;
    }

    public Builder config(ObjectNode value) {
      this.config = value;
      return this;
    }

    public PluginConfig build() {
      return new PluginConfig(name, kind, priority, mode, onError, hooks, config);
    }
  }
}
