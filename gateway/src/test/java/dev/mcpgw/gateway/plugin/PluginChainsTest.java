package dev.mcpgw.gateway.plugin;

import static dev.mcpgw.gateway.plugin.TestPlugins.ALICE;
import static dev.mcpgw.gateway.plugin.TestPlugins.JSON;
import static dev.mcpgw.gateway.plugin.TestPlugins.toolCall;
import static dev.mcpgw.gateway.plugin.TestPlugins.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.config.InvalidSettingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PluginChainsTest {

  @Test
  void missingNullOrEmptySectionIsTheEmptyChain() {
    assertThat(PluginChains.fromConfig(null)).isNotInstanceOf(OrderedPluginChain.class);
    assertThat(PluginChains.fromConfig(MissingNode.getInstance())).isNotInstanceOf(OrderedPluginChain.class);
    assertThat(PluginChains.fromConfig(NullNode.getInstance())).isNotInstanceOf(OrderedPluginChain.class);
    assertThat(PluginChains.fromConfig(yaml("[]"))).isNotInstanceOf(OrderedPluginChain.class);
  }

  @Test
  void builtInsConfiguredInYamlRunInPriorityOrder() {
    PluginChain chain = PluginChains.fromConfig(yaml("""
        - name: pii
          kind: pii_filter
          priority: 30
        - name: deny
          kind: deny_list
          priority: 10
          config:
            tools: ["admin-*"]
        - name: limit
          kind: rate_limiter
          priority: 20
          hooks: tool_pre_invoke
          config:
            limit: 2/1h
            by: user_tool
        """));
    ObjectNode call = toolCall("search");
    ((ObjectNode) call.get("arguments")).put("q", "mail bob@example.com");

    HookOutcome first = chain.run(Hook.TOOL_PRE_INVOKE, ALICE, call);
    chain.run(Hook.TOOL_PRE_INVOKE, ALICE, toolCall("search"));
    HookOutcome third = chain.run(Hook.TOOL_PRE_INVOKE, ALICE, toolCall("search"));
    HookOutcome denied = chain.run(Hook.TOOL_PRE_INVOKE, ALICE, toolCall("admin-drop"));

    assertThat(first).isInstanceOfSatisfying(HookOutcome.Proceed.class, p -> {
      assertThat(p.modified()).isTrue();
      assertThat(p.payload().at("/arguments/q").asText()).isEqualTo("mail [REDACTED]");
    });
    assertThat(third).isInstanceOfSatisfying(HookOutcome.Blocked.class, b -> {
      assertThat(b.plugin()).isEqualTo("limit");
      assertThat(b.reason()).startsWith("rate limit exceeded for user alice on tool search, retry after ");
    });
    assertThat(denied).isEqualTo(
        new HookOutcome.Blocked("deny", "tool 'admin-drop' is denied", PluginResult.POLICY_VIOLATION));
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "{kind: deny_list, config: {tools: [x]}, mode: strict}"
          + "|plugins[1].mode: 'strict' is not one of enforce, permissive, disabled",
      "{kind: deny_list, config: {tools: [x]}, on_error: explode}"
          + "|plugins[1].on_error: 'explode' is not one of ignore, fail",
      "{kind: deny_list, config: {tools: [x]}, priority: high}"
          + "|plugins[1].priority: 'high' is not an integer",
      "{kind: deny_list, config: {tools: [x]}, hooks: [tool_pre_call]}"
          + "|plugins[1].hooks: 'tool_pre_call' is not one of tool_pre_invoke, tool_post_invoke",
      "{kind: deny_list, config: {tools: [x]}, hooks: [tool_post_invoke]}"
          + "|plugins[1].hooks: 'tool_post_invoke' not handled by deny_list; allowed: tool_pre_invoke",
      "{kind: deny_list, config: {tools: [x]}, prio: 3}"
          + "|plugins[1].prio: unknown key; allowed: name, kind, priority, mode, on_error, hooks, config",
      "{name: deny, config: {tools: [x]}}"
          + "|plugins[1].kind: is required",
      "{kind: firewall}"
          + "|plugins[1].kind: 'firewall' is not one of deny_list, pii_filter, rate_limiter",
      "{kind: deny_list, name: first, config: {tools: [x]}}"
          + "|plugins[1].name: 'first' is already used by plugins[0]",
      "{kind: deny_list, config: [tools]}"
          + "|plugins[1].config: must be a mapping",
      "{kind: deny_list}"
          + "|plugins[1].config: denies nothing",
      "{kind: deny_list, config: {tools: [x], tenants: {acme: {tool: [y]}}}}"
          + "|plugins[1].config.tenants.acme.tool: unknown key; allowed: tools, prompts, resources",
      "{kind: rate_limiter}"
          + "|plugins[1].config.limit: is required",
      "{kind: rate_limiter, config: {limit: ten per second}}"
          + "|plugins[1].config.limit: 'ten per second' is not <calls>/<window>",
      "{kind: rate_limiter, config: {limit: 10/soon}}"
          + "|plugins[1].config.limit: 'soon' is not a positive duration",
      "{kind: rate_limiter, config: {limit: 10/1s, by: tenant}}"
          + "|plugins[1].config.by: 'tenant' is not one of user, tool, user_tool",
      "{kind: rate_limiter, config: {limit: 10/1s, max_keys: 0}}"
          + "|plugins[1].config.max_keys: '0' is not an integer from 1 to 100000000",
      "{kind: pii_filter, config: {detect: [email, iban]}}"
          + "|plugins[1].config.detect[1]: 'iban' is not one of key_value, bearer_token, api_key, email",
      "{kind: pii_filter, config: {patterns: [{name: emp, regex: 'EMP-(\\d+'}]}}"
          + "|plugins[1].config.patterns[0].regex: not a valid regular expression: Unclosed group",
      "{kind: pii_filter, config: {patterns: [{name: email, regex: x}]}}"
          + "|plugins[1].config.patterns[0].name: 'email' is already used",
      "{kind: pii_filter, config: {replace: x}}"
          + "|plugins[1].config.replace: unknown key; allowed: detect, sensitive_keys, replacement, patterns"})
  void invalidEntryFailsAtStartUpNamingTheKeyPath(String entry, String message) {
    String section = "[{kind: rate_limiter, name: first, config: {limit: 5/1s}}, " + entry + "]";

    assertThatThrownBy(() -> PluginChains.fromConfig(yaml(section)))
        .isInstanceOf(InvalidSettingException.class)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void sectionThatIsNotAListOrEntryThatIsNotAMappingIsRefused() {
    assertThatThrownBy(() -> PluginChains.fromConfig(yaml("{kind: deny_list}")))
        .hasMessage("plugins: must be a list of plugin entries, not a mapping");
    assertThatThrownBy(() -> PluginChains.fromConfig(yaml("[deny_list]")))
        .hasMessage("plugins[0]: must be a mapping of keys to values");
  }

  @Test
  void disabledEntryIsValidatedButNeitherBuiltNorRequiredToHaveAKnownKind() {
    PluginChain chain = PluginChains.fromConfig(yaml("[{kind: not_installed, mode: disabled}]"));

    assertThat(chain.run(Hook.TOOL_PRE_INVOKE, ALICE, toolCall("x"))).isInstanceOf(HookOutcome.Proceed.class);
    assertThatThrownBy(() -> PluginChains.fromConfig(yaml("[{kind: not_installed, mode: disabled, prio: 1}]")))
        .hasMessageStartingWith("plugins[0].prio: unknown key");
  }

  @Test
  void providerThatThrowsOrBuildsNothingFailsStartUpNamingTheEntry() {
    assertThatThrownBy(() -> PluginChains.fromConfig(yaml("[{kind: test_broken, config: {fail: state}}]")))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessage("plugins[0]: kind test_broken failed to build the plugin: java.lang.IllegalStateException");
    assertThatThrownBy(() -> PluginChains.fromConfig(yaml("[{kind: test_broken, config: {fail: argument}}]")))
        .hasMessage("plugins[0].config: rejected by kind test_broken: endpoint is unreachable");
    assertThatThrownBy(() -> PluginChains.fromConfig(yaml("[{kind: test_broken, config: {fail: null}}]")))
        .hasMessage("plugins[0]: kind test_broken built no plugin or one with no hooks");
    assertThatThrownBy(() -> PluginChains.fromConfig(yaml("[{kind: test_broken, config: {fail: nohooks}}]")))
        .hasMessage("plugins[0]: kind test_broken built no plugin or one with no hooks");
  }

  @Test
  void entryConfigIsACopyThatLaterEditsOfTheYamlTreeDoNotReach() {
    ObjectNode config = JSON.createObjectNode().put("limit", "1/1s");
    PluginConfig pc = PluginConfig.builder("limit", "rate_limiter").config(config).build();

    config.put("limit", "9/1s");

    assertThat(pc.config().get("limit").asText()).isEqualTo("1/1s");
  }

  @Test
  void piiFilterThatCannotWalkAPayloadFailsOpenByDefaultAndClosedWithOnErrorFail() throws Exception {
    PluginChain open = PluginChains.fromConfig(yaml("[{kind: pii_filter}]"));
    PluginChain closed = PluginChains.fromConfig(yaml("[{kind: pii_filter, on_error: fail}]"));
    ObjectNode deep = toolCall("echo");
    com.fasterxml.jackson.databind.node.ArrayNode inner = ((ObjectNode) deep.get("arguments")).putArray("nested");
    for (int i = 0; i < 50_000; i++) {
      inner = inner.addArray();
    }
    inner.add("ann@example.com");
    HookOutcome[] outcomes = new HookOutcome[2];
    // a small stack makes the recursion give out at a depth the test can build cheaply
    Thread t = new Thread(null, () -> {
      outcomes[0] = open.run(Hook.TOOL_PRE_INVOKE, ALICE, deep);
      outcomes[1] = closed.run(Hook.TOOL_PRE_INVOKE, ALICE, deep);
    }, "small-stack", 256 * 1024);
    t.start();
    t.join();

    assertThat(outcomes[0]).isEqualTo(new HookOutcome.Proceed(deep, false));
    assertThat(outcomes[1]).isEqualTo(new HookOutcome.Blocked("pii_filter", "plugin 'pii_filter' failed", -32603));
  }
}
