package dev.mcpgw.gateway.plugin;

import static dev.mcpgw.gateway.plugin.TestPlugins.ALICE;
import static dev.mcpgw.gateway.plugin.TestPlugins.chain;
import static dev.mcpgw.gateway.plugin.TestPlugins.configured;
import static dev.mcpgw.gateway.plugin.TestPlugins.plugin;
import static dev.mcpgw.gateway.plugin.TestPlugins.tagger;
import static dev.mcpgw.gateway.plugin.TestPlugins.toolCall;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.plugin.PluginConfig.Mode;
import dev.mcpgw.gateway.plugin.PluginConfig.OnError;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PluginChainTest {

  private static Plugin recorder(List<String> seen, String name) {
    return plugin(false, (hook, context, payload) -> {
      seen.add(name);
      return PluginResult.proceed();
    });
  }

  private static Plugin blocker(String reason) {
    return plugin(false, (hook, context, payload) -> PluginResult.block(reason));
  }

  private static Plugin thrower(Throwable t) {
    return plugin(false, (hook, context, payload) -> {
      if (t instanceof Error e) {
        throw e;
      }
      throw (Exception) t;
    });
  }

  @Test
  void runsPluginsInAscendingPriorityKeepingConfigurationOrderForTies() {
    List<String> seen = new ArrayList<>();
    PluginChain chain = chain(configured("c", 50, recorder(seen, "c")), configured("a", 10, recorder(seen, "a")),
        configured("d", 50, recorder(seen, "d")), configured("b", -5, recorder(seen, "b")),
        configured("e", 50, recorder(seen, "e")));

    chain.run(Hook.TOOL_PRE_INVOKE, ALICE, toolCall("echo"));

    assertThat(seen).containsExactly("b", "a", "c", "d", "e");
  }

  @Test
  void passesEachPluginThePreviousPluginsPayloadAndReportsTheModification() {
    List<String> readerSaw = new ArrayList<>();
    Plugin reader = plugin(false, (hook, context, payload) -> {
      readerSaw.add(payload.path("trail").toString());
      return PluginResult.proceed();
    });
    PluginChain chain = chain(configured("first", 1, tagger("first")), configured("reader", 2, reader),
        configured("second", 3, tagger("second")));
    ObjectNode original = toolCall("echo");

    HookOutcome outcome = chain.run(Hook.TOOL_PRE_INVOKE, ALICE, original);

    assertThat(readerSaw).containsExactly("[\"first\"]");
    assertThat(outcome).isInstanceOfSatisfying(HookOutcome.Proceed.class, p -> {
      assertThat(p.modified()).isTrue();
      assertThat(p.payload().path("trail").toString()).isEqualTo("[\"first\",\"second\"]");
    });
    assertThat(original.has("trail")).as("the caller's payload is never mutated").isFalse();
  }

  @Test
  void unmodifiedRunReturnsTheSamePayloadInstanceWithTheFlagOff() {
    PluginChain chain = chain(configured("reader", 1, recorder(new ArrayList<>(), "r")));
    ObjectNode payload = toolCall("echo");

    HookOutcome outcome = chain.run(Hook.TOOL_PRE_INVOKE, ALICE, payload);

    assertThat(outcome).isEqualTo(new HookOutcome.Proceed(payload, false));
    assertThat(((HookOutcome.Proceed) outcome).payload()).isSameAs(payload);
  }

  @Test
  void modifyingPluginGetsAPrivateCopySoEarlierReadersNeverSeeItsLaterMutations() {
    AtomicReference<ObjectNode> readerKept = new AtomicReference<>();
    Plugin reader = plugin(false, (hook, context, payload) -> {
      readerKept.set(payload);
      return PluginResult.proceed();
    });
    Plugin mutator = plugin(true, (hook, context, payload) -> {
      ((ObjectNode) payload.get("arguments")).put("q", "rewritten");
      return PluginResult.modified(payload);
    });
    ObjectNode original = toolCall("echo");

    HookOutcome outcome = chain(configured("reader", 1, reader), configured("mutator", 2, mutator))
        .run(Hook.TOOL_PRE_INVOKE, ALICE, original);

    assertThat(((HookOutcome.Proceed) outcome).payload().at("/arguments/q").asText()).isEqualTo("rewritten");
    assertThat(readerKept.get().at("/arguments/q").asText()).isEqualTo("hello");
    assertThat(original.at("/arguments/q").asText()).isEqualTo("hello");
  }

  @Test
  void enforcingBlockStopsTheChainAndLaterPluginsDoNotRun() {
    List<String> seen = new ArrayList<>();
    PluginChain chain = chain(configured("deny", 1, blocker("tool 'echo' is denied")),
        configured("later", 2, recorder(seen, "later")));

    HookOutcome outcome = chain.run(Hook.TOOL_PRE_INVOKE, ALICE, toolCall("echo"));

    assertThat(outcome).isEqualTo(
        new HookOutcome.Blocked("deny", "tool 'echo' is denied", PluginResult.POLICY_VIOLATION));
    assertThat(seen).isEmpty();
  }

  @Test
  void permissiveBlockIsOnlyLoggedAndTheRequestGoesOnThroughLaterPlugins() {
    List<String> seen = new ArrayList<>();
    PluginChain chain = chain(
        configured(PluginConfig.builder("deny", "test").priority(1).mode(Mode.PERMISSIVE).build(), blocker("no")),
        configured("later", 2, recorder(seen, "later")));
    ObjectNode payload = toolCall("echo");

    HookOutcome outcome = chain.run(Hook.TOOL_PRE_INVOKE, ALICE, payload);

    assertThat(outcome).isEqualTo(new HookOutcome.Proceed(payload, false));
    assertThat(seen).containsExactly("later");
  }

  @ParameterizedTest(name = "{0} + on_error {1} -> blocked {2}")
  @CsvSource({
      "ENFORCE, IGNORE, false",
      "ENFORCE, FAIL, true",
      "PERMISSIVE, IGNORE, false",
      "PERMISSIVE, FAIL, false",
      "DISABLED, IGNORE, false",
      "DISABLED, FAIL, false"})
  void throwingPluginIsIsolatedUnlessItEnforcesWithOnErrorFail(Mode mode, OnError onError, boolean blocked) {
    List<String> seen = new ArrayList<>();
    PluginConfig config = PluginConfig.builder("flaky", "test").priority(1).mode(mode).onError(onError).build();
    PluginChain chain = chain(
        configured(config, thrower(new IllegalStateException("password=hunter2 in the payload"))),
        configured("tagger", 2, tagger("after")));
    ObjectNode payload = toolCall("echo");

    HookOutcome outcome = chain.run(Hook.TOOL_PRE_INVOKE, ALICE, payload);

    if (blocked) {
      assertThat(outcome).isEqualTo(new HookOutcome.Blocked("flaky", "plugin 'flaky' failed", -32603));
    } else {
      assertThat(outcome).isInstanceOfSatisfying(HookOutcome.Proceed.class,
          p -> assertThat(p.payload().path("trail").toString()).isEqualTo("[\"after\"]"));
    }
  }

  @Test
  void errorsAndCheckedExceptionsAreIsolatedToo() {
    PluginChain chain = chain(configured("deep", 1, thrower(new StackOverflowError())),
        configured("checked", 2, thrower(new java.io.IOException("disk"))),
        configured("linkage", 3, thrower(new NoClassDefFoundError("com/example/Missing"))));
    ObjectNode payload = toolCall("echo");

    assertThat(chain.run(Hook.TOOL_PRE_INVOKE, ALICE, payload)).isEqualTo(new HookOutcome.Proceed(payload, false));
  }

  @Test
  void failingPluginsBlockMessageNamesThePluginButNotTheExceptionsInternals() {
    PluginConfig config = PluginConfig.builder("vault", "test").onError(OnError.FAIL).build();
    PluginChain chain = chain(configured(config, thrower(new IllegalStateException("secret=s3cr3t at db.internal"))));

    HookOutcome outcome = chain.run(Hook.TOOL_PRE_INVOKE, ALICE, toolCall("echo"));

    assertThat(outcome).isInstanceOfSatisfying(HookOutcome.Blocked.class, b -> {
      assertThat(b.reason()).contains("vault").doesNotContain("s3cr3t").doesNotContain("IllegalState");
      assertThat(b.code()).isEqualTo(-32603);
    });
  }

  @Test
  void pluginReturningNullIsTreatedAsAFailure() {
    PluginChain ignoring = chain(configured("null", 1, plugin(false, (h, c, p) -> null)),
        configured("tagger", 2, tagger("after")));
    PluginChain failing = chain(configured(PluginConfig.builder("null", "test").onError(OnError.FAIL).build(),
        plugin(false, (h, c, p) -> null)));

    assertThat(ignoring.run(Hook.TOOL_PRE_INVOKE, ALICE, toolCall("echo")))
        .isInstanceOfSatisfying(HookOutcome.Proceed.class, p -> assertThat(p.modified()).isTrue());
    assertThat(failing.run(Hook.TOOL_PRE_INVOKE, ALICE, toolCall("echo")))
        .isEqualTo(new HookOutcome.Blocked("null", "plugin 'null' failed", -32603));
  }

  @Test
  void undeclaredModificationIsRejectedAndThePayloadIsKept() {
    Plugin sneaky = plugin(false, (hook, context, payload) -> PluginResult.modified(toolCall("other")));
    ObjectNode payload = toolCall("echo");

    HookOutcome outcome = chain(configured("sneaky", 1, sneaky)).run(Hook.TOOL_PRE_INVOKE, ALICE, payload);

    assertThat(outcome).isEqualTo(new HookOutcome.Proceed(payload, false));
  }

  @Test
  void disabledPluginsNeverRunAndAChainOfOnlyDisabledPluginsIsTheEmptyChain() {
    AtomicInteger calls = new AtomicInteger();
    Plugin counting = plugin(false, (h, c, p) -> {
      calls.incrementAndGet();
      return PluginResult.block("no");
    });
    PluginChain chain = chain(configured(PluginConfig.builder("off", "test").mode(Mode.DISABLED).build(), counting));
    ObjectNode payload = toolCall("echo");

    assertThat(chain.run(Hook.TOOL_PRE_INVOKE, ALICE, payload)).isEqualTo(new HookOutcome.Proceed(payload, false));
    assertThat(calls).hasValue(0);
    assertThat(chain).isNotInstanceOf(OrderedPluginChain.class);
  }

  @Test
  void pluginRunsOnlyAtItsConfiguredHooks() {
    List<String> seen = new ArrayList<>();
    PluginConfig config = PluginConfig.builder("pre", "test").hooks(Set.of(Hook.TOOL_PRE_INVOKE)).build();
    PluginChain chain = chain(configured(config, recorder(seen, "pre")));

    chain.run(Hook.TOOL_POST_INVOKE, ALICE, toolCall("echo"));
    chain.run(Hook.PROMPT_PRE_FETCH, ALICE, toolCall("greet"));
    chain.run(Hook.TOOL_PRE_INVOKE, ALICE, toolCall("echo"));

    assertThat(seen).containsExactly("pre");
  }

  @Test
  void nullHookOrPayloadNeverMakesTheChainThrow() {
    PluginChain chain = chain(configured("tagger", 1, tagger("t")), configured("reader", 2,
        plugin(false, (h, c, p) -> p.has("x") ? PluginResult.block("x") : PluginResult.proceed())));

    assertThat(chain.run(null, ALICE, toolCall("echo"))).isInstanceOf(HookOutcome.Proceed.class);
    assertThat(chain.run(Hook.TOOL_PRE_INVOKE, ALICE, null)).isEqualTo(new HookOutcome.Proceed(null, false));
  }

  @Test
  void emptyChainProceedsWithTheSamePayload() {
    ObjectNode payload = toolCall("echo");

    assertThat(PluginChain.empty().run(Hook.TOOL_PRE_INVOKE, ALICE, payload))
        .isEqualTo(new HookOutcome.Proceed(payload, false));
  }

  @Test
  void pluginConfiguredAtAHookItDoesNotHandleIsRefused() {
    Plugin preOnly = new Plugin() {
      @Override
      public Set<Hook> hooks() {
        return Set.of(Hook.TOOL_PRE_INVOKE);
      }

      @Override
      public PluginResult apply(Hook hook, HookContext context, ObjectNode payload) {
        return PluginResult.proceed();
      }
    };
    PluginConfig config = PluginConfig.builder("pre", "test").hooks(Set.of(Hook.TOOL_POST_INVOKE)).build();

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ConfiguredPlugin(config, preOnly))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TOOL_POST_INVOKE");
  }

  @Test
  void failingPluginOnEveryRequestLogsOnceAndNeverItsExceptionMessage() {
    ch.qos.logback.classic.Logger chainLogger =
        (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(OrderedPluginChain.class);
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender =
        new ch.qos.logback.core.read.ListAppender<>();
    appender.start();
    chainLogger.addAppender(appender);
    try {
      PluginChain chain = chain(configured("leaky", 1, plugin(false, (h, c, p) -> {
        throw new IllegalStateException("token=abc123");
      })));
      for (int i = 0; i < 50; i++) {
        chain.run(Hook.TOOL_PRE_INVOKE, ALICE, toolCall("echo"));
      }
    } finally {
      chainLogger.detachAppender(appender);
    }

    assertThat(appender.list).singleElement().satisfies(e -> {
      assertThat(e.getFormattedMessage()).contains("plugin 'leaky' failed at tool_pre_invoke")
          .contains("IllegalStateException").doesNotContain("abc123");
      assertThat(e.getThrowableProxy()).isNull();
    });
  }
}
