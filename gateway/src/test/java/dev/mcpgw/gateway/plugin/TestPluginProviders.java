package dev.mcpgw.gateway.plugin;

import java.util.Set;

/** Third-party-style providers, listed in the test class path's {@code META-INF/services}. */
final class TestPluginProviders {
  private TestPluginProviders() {}

  /** Kind {@code test_stamp}: writes {@code config.value} under {@code payload.stamp}. */
  public static final class Stamp implements PluginProvider {
    @Override
    public String kind() {
      return "test_stamp";
    }

    @Override
    public Plugin create(PluginConfig config, PluginOptions options) {
      String value = options.allowOnly("value").requiredText("value", "any text");
      return TestPlugins.plugin(true, (hook, context, payload) -> PluginResult.modified(payload.put("stamp", value)));
    }
  }

  /** Kind {@code test_broken}: fails to build in the way {@code config.fail} says. */
  public static final class Broken implements PluginProvider {
    @Override
    public String kind() {
      return "test_broken";
    }

    @Override
    public Plugin create(PluginConfig config, PluginOptions options) {
      return switch (options.text("fail", "null")) {
        case "state" -> throw new IllegalStateException("connection to secret-host:5432 refused");
        case "argument" -> throw new IllegalArgumentException("endpoint is unreachable");
        case "nohooks" -> new Plugin() {
          @Override
          public Set<Hook> hooks() {
            return Set.of();
          }

          @Override
          public PluginResult apply(Hook hook, HookContext context, com.fasterxml.jackson.databind.node.ObjectNode p) {
            return PluginResult.proceed();
          }
        };
        default -> null;
      };
    }
  }
}
