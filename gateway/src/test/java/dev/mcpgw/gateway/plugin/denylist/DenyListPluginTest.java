package dev.mcpgw.gateway.plugin.denylist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.mcpgw.gateway.auth.Caller;
import dev.mcpgw.gateway.plugin.Hook;
import dev.mcpgw.gateway.plugin.HookContext;
import dev.mcpgw.gateway.plugin.Plugin;
import dev.mcpgw.gateway.plugin.PluginConfig;
import dev.mcpgw.gateway.plugin.PluginOptions;
import dev.mcpgw.gateway.plugin.PluginResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DenyListPluginTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HookContext ACME = new HookContext(new Caller("alice", "acme", false), "r", null);
  static final HookContext GLOBEX = new HookContext(new Caller("gina", "globex", false), "r", null);

  static Plugin denyList(String yaml) throws Exception {
    return new DenyListProvider().create(PluginConfig.builder("deny", DenyListProvider.KIND).build(),
        PluginOptions.of("plugins[0].config", new ObjectMapper(new YAMLFactory()).readTree(yaml)));
  }

  static PluginResult tool(Plugin p, HookContext who, String name) {
    return p.apply(Hook.TOOL_PRE_INVOKE, who, JSON.createObjectNode().put("name", name));
  }

  @ParameterizedTest(name = "{0} vs {1} -> denied {2}")
  @CsvSource({
      "delete_user, delete_user, true",
      "delete_user, delete_users, false",
      "delete_*, delete_users, true",
      "delete_*, delete_, true",
      "delete_*, undelete_users, false",
      "*-exec, shell-exec, true",
      "*-exec, shell-exec-safe, false",
      "'fs-?', fs-1, true",
      "'fs-?', fs-12, false",
      "'fs.read', fsXread, false",
      "'a+b(c)', a+b(c), true",
      "'a+b(c)', aab(c), false",
      "*, anything at all, true"})
  void globsMatchWholeNamesWithStarAndQuestionMarkOnly(String glob, String name, boolean denied) throws Exception {
    Plugin p = denyList("{tools: ['" + glob + "']}");

    assertThat(tool(p, ACME, name)).isEqualTo(denied
        ? PluginResult.block("tool '" + name + "' is denied") : PluginResult.proceed());
  }

  @Test
  void tenantListsApplyOnlyToThatTenantOnTopOfTheGlobalOne() throws Exception {
    Plugin p = denyList("""
        tools: [shell-*]
        tenants:
          acme:
            tools: [billing-*]
        """);

    assertThat(tool(p, ACME, "billing-refund")).isEqualTo(
        PluginResult.block("tool 'billing-refund' is denied for tenant acme"));
    assertThat(tool(p, GLOBEX, "billing-refund")).isEqualTo(PluginResult.proceed());
    assertThat(tool(p, GLOBEX, "shell-run")).isEqualTo(PluginResult.block("tool 'shell-run' is denied"));
  }

  @Test
  void promptsAndResourcesHaveTheirOwnListsAndHooks() throws Exception {
    Plugin p = denyList("""
        prompts: [internal-*]
        resources: ['file:///etc/*']
        """);
    ObjectNode prompt = JSON.createObjectNode().put("name", "internal-review");
    ObjectNode resource = JSON.createObjectNode().put("uri", "file:///etc/passwd");

    assertThat(p.hooks()).containsExactlyInAnyOrder(Hook.PROMPT_PRE_FETCH, Hook.RESOURCE_PRE_FETCH);
    assertThat(p.apply(Hook.PROMPT_PRE_FETCH, ACME, prompt)).isEqualTo(
        PluginResult.block("prompt 'internal-review' is denied"));
    assertThat(p.apply(Hook.RESOURCE_PRE_FETCH, ACME, resource)).isEqualTo(
        PluginResult.block("resource 'file:///etc/passwd' is denied"));
    assertThat(p.apply(Hook.RESOURCE_PRE_FETCH, ACME, JSON.createObjectNode().put("uri", "file:///tmp/x")))
        .isEqualTo(PluginResult.proceed());
  }

  @Test
  void onlyTenantRulesStillMakeThePluginRunAtThatHook() throws Exception {
    Plugin p = denyList("{tenants: {globex: {tools: [export]}}}");

    assertThat(p.hooks()).containsExactly(Hook.TOOL_PRE_INVOKE);
    assertThat(tool(p, GLOBEX, "export")).isInstanceOf(PluginResult.Block.class);
    assertThat(tool(p, ACME, "export")).isEqualTo(PluginResult.proceed());
  }

  @Test
  void payloadWithoutANameIsNotDeniedByNamedRules() throws Exception {
    Plugin p = denyList("{tools: [x]}");

    assertThat(p.apply(Hook.TOOL_PRE_INVOKE, ACME, JSON.createObjectNode())).isEqualTo(PluginResult.proceed());
  }
}
