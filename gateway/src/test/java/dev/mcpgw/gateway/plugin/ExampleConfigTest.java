package dev.mcpgw.gateway.plugin;

import static dev.mcpgw.gateway.plugin.TestPlugins.toolCall;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.auth.Caller;
import dev.mcpgw.gateway.config.GatewaySettings;
import dev.mcpgw.gateway.config.SettingsLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shipped {@code config/mcpgw.example.yaml} stays loadable and does what its comments say. */
class ExampleConfigTest {
  private static final Path EXAMPLE = Path.of("..", "config", "mcpgw.example.yaml").toAbsolutePath().normalize();

  @Test
  void exampleConfigLoadsAndItsPluginsBehaveAsDescribed() {
    assertThat(EXAMPLE).exists();
    GatewaySettings settings = SettingsLoader.load(Map.of("MCPGW_CONFIG", EXAMPLE.toString()), EXAMPLE.getParent());
    PluginChain chain = PluginChains.fromConfig(settings.plugins());
    HookContext acme = new HookContext(new Caller("alice", "acme", false), "r", null);
    HookContext globex = new HookContext(new Caller("gina", "globex", false), "r", null);
    ObjectNode call = toolCall("crm-lookup");
    ((ObjectNode) call.get("arguments")).put("q", "EMP-123456 ann@example.com");

    assertThat(chain.run(Hook.TOOL_PRE_INVOKE, acme, toolCall("billing-refund")))
        .isInstanceOfSatisfying(HookOutcome.Blocked.class, b -> assertThat(b.plugin()).isEqualTo("deny"));
    assertThat(chain.run(Hook.TOOL_PRE_INVOKE, globex, toolCall("billing-refund")))
        .isInstanceOf(HookOutcome.Proceed.class);
    assertThat(chain.run(Hook.TOOL_PRE_INVOKE, globex, toolCall("fs-delete_file")))
        .as("deny-preview is permissive").isInstanceOf(HookOutcome.Proceed.class);
    assertThat(chain.run(Hook.TOOL_PRE_INVOKE, acme, call)).isInstanceOfSatisfying(HookOutcome.Proceed.class,
        p -> assertThat(p.payload().at("/arguments/q").asText())
            .isEqualTo("[REDACTED:employee_id] [REDACTED:email]"));
  }

  @Test
  void exampleKeepsEveryGatewaySettingCommentedOut() throws Exception {
    assertThat(Files.readAllLines(EXAMPLE)).filteredOn(l -> l.matches("[a-z_]+:.*")).containsExactly("plugins:");
  }
}
