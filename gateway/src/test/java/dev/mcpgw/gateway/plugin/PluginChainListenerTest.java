package dev.mcpgw.gateway.plugin;

import static dev.mcpgw.gateway.plugin.TestPlugins.ALICE;
import static dev.mcpgw.gateway.plugin.TestPlugins.configured;
import static dev.mcpgw.gateway.plugin.TestPlugins.plugin;
import static dev.mcpgw.gateway.plugin.TestPlugins.tagger;
import static dev.mcpgw.gateway.plugin.TestPlugins.toolCall;
import static dev.mcpgw.gateway.plugin.TestPlugins.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.plugin.PluginChainListener.Outcome;
import dev.mcpgw.gateway.plugin.PluginConfig.Mode;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class PluginChainListenerTest {

  record Run(Hook hook, String plugin, int priority, Mode mode, Outcome outcome, boolean modified, boolean timed,
      Class<?> error) {}

  static final class Recording implements PluginChainListener {
    final List<Run> runs = new CopyOnWriteArrayList<>();

    @Override
    public void onPluginRun(Hook hook, HookContext context, String plugin, int priority, Mode mode, Outcome outcome,
        boolean modified, long nanos, Throwable error) {
      runs.add(new Run(hook, plugin, priority, mode, outcome, modified, nanos >= 0,
          error == null ? null : error.getClass()));
    }
  }

  @Test
  void seesEveryRunWithItsOutcome() {
    Recording listener = new Recording();
    PluginChain chain = PluginChains.of(List.of(
        configured("tag", 1, tagger("t")),
        configured("reader", 2, plugin(false, (h, c, p) -> PluginResult.proceed())),
        configured(PluginConfig.builder("audit", "test").priority(3).mode(Mode.PERMISSIVE).build(),
            plugin(false, (h, c, p) -> PluginResult.block("would deny"))),
        configured("flaky", 4, plugin(false, (h, c, p) -> {
          throw new IllegalStateException("boom");
        })),
        configured("deny", 5, plugin(false, (h, c, p) -> PluginResult.block("denied"))),
        configured("never", 6, tagger("never"))), listener);

    HookOutcome outcome = chain.run(Hook.TOOL_PRE_INVOKE, ALICE, toolCall("echo"));

    assertThat(outcome).isInstanceOf(HookOutcome.Blocked.class);
    assertThat(listener.runs).containsExactly(
        new Run(Hook.TOOL_PRE_INVOKE, "tag", 1, Mode.ENFORCE, Outcome.PROCEEDED, true, true, null),
        new Run(Hook.TOOL_PRE_INVOKE, "reader", 2, Mode.ENFORCE, Outcome.PROCEEDED, false, true, null),
        new Run(Hook.TOOL_PRE_INVOKE, "audit", 3, Mode.PERMISSIVE, Outcome.WOULD_BLOCK, false, true, null),
        new Run(Hook.TOOL_PRE_INVOKE, "flaky", 4, Mode.ENFORCE, Outcome.FAILED, false, true,
            IllegalStateException.class),
        new Run(Hook.TOOL_PRE_INVOKE, "deny", 5, Mode.ENFORCE, Outcome.BLOCKED, false, true, null));
  }

  @Test
  void nullResultReachesTheListenerAsAContractError() {
    Recording listener = new Recording();
    PluginChain chain = PluginChains.of(List.of(configured("null", 1, plugin(false, (h, c, p) -> null))), listener);

    chain.run(Hook.PROMPT_PRE_FETCH, ALICE, toolCall("greet"));

    assertThat(listener.runs).singleElement().satisfies(r -> {
      assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
      assertThat(r.error()).isEqualTo(PluginContractException.class);
    });
  }

  @Test
  void throwingListenerDoesNotBreakTheChain() {
    PluginChainListener broken = new PluginChainListener() {
      @Override
      public void onPluginRun(Hook hook, HookContext context, String plugin, int priority, Mode mode,
          Outcome outcome, boolean modified, long nanos, Throwable error) {
        throw new IllegalStateException("exporter down");
      }
    };
    PluginChain chain = PluginChains.of(List.of(configured("a", 1, tagger("a")), configured("b", 2, tagger("b"))),
        broken);
    ObjectNode payload = toolCall("echo");

    HookOutcome outcome = chain.run(Hook.TOOL_PRE_INVOKE, ALICE, payload);

    assertThat(outcome).isInstanceOfSatisfying(HookOutcome.Proceed.class,
        p -> assertThat(p.payload().path("trail").toString()).isEqualTo("[\"a\",\"b\"]"));
  }

  @Test
  void listenerIsWiredThroughTheYamlEntryPointToo() {
    Recording listener = new Recording();
    PluginChain chain = PluginChains.fromConfig(yaml("[{kind: deny_list, config: {tools: ['drop*']}}]"), listener);

    chain.run(Hook.TOOL_PRE_INVOKE, ALICE, toolCall("drop_table"));
    chain.run(Hook.TOOL_PRE_INVOKE, ALICE, toolCall("select"));

    assertThat(listener.runs).extracting(Run::plugin, Run::outcome).containsExactly(
        org.assertj.core.groups.Tuple.tuple("deny_list", Outcome.BLOCKED),
        org.assertj.core.groups.Tuple.tuple("deny_list", Outcome.PROCEEDED));
  }
}
