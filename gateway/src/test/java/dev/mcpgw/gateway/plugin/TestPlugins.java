package dev.mcpgw.gateway.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.mcpgw.gateway.auth.Caller;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Plugins, payloads and configuration for the plugin tests. */
final class TestPlugins {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final HookContext ALICE = new HookContext(new Caller("alice", "acme", false), "req-1", null);

  private TestPlugins() {}

  /** What a test plugin does on each call. */
  @FunctionalInterface
  interface Body {
    PluginResult apply(Hook hook, HookContext context, ObjectNode payload) throws Exception;
  }

  /** A plugin at every hook that runs {@code body}, declaring {@code modifies}. */
  static Plugin plugin(boolean modifies, Body body) {
    return new Plugin() {
      @Override
      public Set<Hook> hooks() {
        return Set.copyOf(EnumSet.allOf(Hook.class));
      }

      @Override
      public boolean modifiesPayload() {
        return modifies;
      }

      @Override
      public PluginResult apply(Hook hook, HookContext context, ObjectNode payload) {
        try {
          return body.apply(hook, context, payload);
        } catch (RuntimeException | Error e) {
          throw e;
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    };
  }

  /** A plugin that appends {@code tag} to the payload's {@code trail} array, in a copy. */
  static Plugin tagger(String tag) {
    return plugin(true, (hook, context, payload) -> {
      payload.withArray("trail").add(tag);
      return PluginResult.modified(payload);
    });
  }

  static ConfiguredPlugin configured(String name, int priority, Plugin plugin) {
    return new ConfiguredPlugin(PluginConfig.builder(name, "test").priority(priority).build(), plugin);
  }

  static ConfiguredPlugin configured(PluginConfig config, Plugin plugin) {
    return new ConfiguredPlugin(config, plugin);
  }

  static PluginChain chain(ConfiguredPlugin... plugins) {
    return PluginChains.of(List.of(plugins), PluginChainListener.NOOP);
  }

  static ObjectNode toolCall(String name) {
    ObjectNode payload = JSON.createObjectNode().put("name", name);
    payload.putObject("arguments").put("q", "hello");
    return payload;
  }

  static JsonNode yaml(String text) {
    try {
      return YAML.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }
}
