package dev.mcpgw.gateway.plugin;

import static dev.mcpgw.gateway.plugin.TestPlugins.ALICE;
import static dev.mcpgw.gateway.plugin.TestPlugins.toolCall;
import static dev.mcpgw.gateway.plugin.TestPlugins.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mcpgw.gateway.config.InvalidSettingException;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginDiscoveryTest {
  @TempDir Path tmp;

  @Test
  void findsBuiltInsAndThirdPartyProvidersThroughTheServiceLoader() {
    Map<String, PluginProvider> providers = PluginProviders.discover(getClass().getClassLoader());

    assertThat(providers).containsKeys("rate_limiter", "deny_list", "pii_filter", "test_stamp", "test_broken");
  }

  @Test
  void thirdPartyKindIsUsableFromYaml() {
    PluginChain chain = PluginChains.fromConfig(yaml("[{kind: test_stamp, config: {value: v1}}]"));

    assertThat(chain.run(Hook.TOOL_POST_INVOKE, ALICE, toolCall("echo")))
        .isInstanceOfSatisfying(HookOutcome.Proceed.class, p -> {
          assertThat(p.modified()).isTrue();
          assertThat(p.payload().get("stamp").asText()).isEqualTo("v1");
        });
  }

  @Test
  void twoProvidersClaimingOneKindFailStartUp() throws IOException {
    Path services = tmp.resolve("META-INF/services");
    Files.createDirectories(services);
    Files.writeString(services.resolve(PluginProvider.class.getName()), ClashingDenyList.class.getName() + "\n");

    try (URLClassLoader loader = new URLClassLoader(new URL[] {tmp.toUri().toURL()}, getClass().getClassLoader())) {
      assertThatThrownBy(() -> PluginChains.fromConfig(yaml("[{kind: deny_list, config: {tools: [x]}}]"),
          PluginChainListener.NOOP, loader))
          .isInstanceOf(InvalidSettingException.class)
          .hasMessageContaining("kind 'deny_list' is provided by both");
    }
  }

  @Test
  void providerListedButMissingFailsStartUpNamingTheSection() throws IOException {
    Path services = tmp.resolve("META-INF/services");
    Files.createDirectories(services);
    Files.writeString(services.resolve(PluginProvider.class.getName()), "com.example.Gone\n");

    try (URLClassLoader loader = new URLClassLoader(new URL[] {tmp.toUri().toURL()}, getClass().getClassLoader())) {
      assertThatThrownBy(() -> PluginChains.fromConfig(yaml("[{kind: deny_list, config: {tools: [x]}}]"),
          PluginChainListener.NOOP, loader))
          .isInstanceOf(InvalidSettingException.class)
          .hasMessageStartingWith("plugins: cannot load a plugin provider");
    }
  }

  /** A provider that claims a built-in's kind. */
  public static final class ClashingDenyList implements PluginProvider {
    @Override
    public String kind() {
      return "deny_list";
    }

    @Override
    public Plugin create(PluginConfig config, PluginOptions options) {
      throw new UnsupportedOperationException();
    }
  }
}
