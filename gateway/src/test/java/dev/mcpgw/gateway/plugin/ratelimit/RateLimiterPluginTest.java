package dev.mcpgw.gateway.plugin.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.mcpgw.gateway.auth.Caller;
import dev.mcpgw.gateway.plugin.Hook;
import dev.mcpgw.gateway.plugin.HookContext;
import dev.mcpgw.gateway.plugin.PluginOptions;
import dev.mcpgw.gateway.plugin.PluginResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterPluginTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HookContext ALICE = context("alice", "acme");
  static final HookContext BOB = context("bob", "acme");

  /** A ticker the test moves by hand; starts away from zero so nothing relies on a zero origin. */
  final AtomicLong nanos = new AtomicLong(TimeUnit.DAYS.toNanos(3));

  static HookContext context(String user, String tenant) {
    return new HookContext(new Caller(user, tenant, false), "req", null);
  }

  static ObjectNode call(String tool) {
    return JSON.createObjectNode().put("name", tool);
  }

  RateLimiterPlugin limiter(String yaml) throws Exception {
    return RateLimiterProvider.create(
        PluginOptions.of("plugins[0].config", new ObjectMapper(new YAMLFactory()).readTree(yaml)), nanos::get);
  }

  static List<PluginResult> calls(RateLimiterPlugin p, HookContext who, String tool, int n) {
    List<PluginResult> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(p.apply(Hook.TOOL_PRE_INVOKE, who, call(tool)));
    }
    return out;
  }

  @Test
  void allowsExactlyTheLimitThenBlocksWithARetryHint() throws Exception {
    RateLimiterPlugin p = limiter("{limit: 3/10s}");

    List<PluginResult> results = calls(p, ALICE, "search", 4);

    assertThat(results.subList(0, 3)).containsOnly(PluginResult.proceed());
    assertThat(results.get(3)).isEqualTo(PluginResult.block(
        "rate limit exceeded for user alice on tool search, retry after 4s"));
  }

  @Test
  void usersAreCountedSeparately() throws Exception {
    RateLimiterPlugin p = limiter("{limit: 2/1m, by: user}");

    calls(p, ALICE, "a", 1);
    calls(p, ALICE, "b", 1);
    PluginResult aliceThird = p.apply(Hook.TOOL_PRE_INVOKE, ALICE, call("c"));
    List<PluginResult> bob = calls(p, BOB, "a", 2);

    assertThat(aliceThird).isInstanceOfSatisfying(PluginResult.Block.class,
        b -> assertThat(b.reason()).isEqualTo("rate limit exceeded for user alice, retry after 30s"));
    assertThat(bob).containsOnly(PluginResult.proceed());
  }

  @Test
  void sameUserIdInAnotherTenantHasItsOwnBucket() throws Exception {
    RateLimiterPlugin p = limiter("{limit: 1/1m, by: user}");

    calls(p, ALICE, "a", 1);

    assertThat(p.apply(Hook.TOOL_PRE_INVOKE, context("alice", "globex"), call("a"))).isEqualTo(PluginResult.proceed());
  }

  @Test
  void perToolLimitIsSharedByAllUsersOfThatTool() throws Exception {
    RateLimiterPlugin p = limiter("{limit: 2/1m, by: tool}");

    calls(p, ALICE, "search", 1);
    calls(p, BOB, "search", 1);

    assertThat(p.apply(Hook.TOOL_PRE_INVOKE, BOB, call("search"))).isEqualTo(
        PluginResult.block("rate limit exceeded on tool search, retry after 30s"));
    assertThat(p.apply(Hook.TOOL_PRE_INVOKE, BOB, call("fetch"))).isEqualTo(PluginResult.proceed());
  }

  @Test
  void perUserAndToolIsolatesBothDimensions() throws Exception {
    RateLimiterPlugin p = limiter("{limit: 1/1m}");

    assertThat(p.apply(Hook.TOOL_PRE_INVOKE, ALICE, call("search"))).isEqualTo(PluginResult.proceed());
    assertThat(p.apply(Hook.TOOL_PRE_INVOKE, ALICE, call("fetch"))).isEqualTo(PluginResult.proceed());
    assertThat(p.apply(Hook.TOOL_PRE_INVOKE, BOB, call("search"))).isEqualTo(PluginResult.proceed());
    assertThat(p.apply(Hook.TOOL_PRE_INVOKE, ALICE, call("search"))).isInstanceOf(PluginResult.Block.class);
  }

  @Test
  void fullWindowLaterTheWholeLimitIsAvailableAgain() throws Exception {
    RateLimiterPlugin p = limiter("{limit: 5/1s}");
    calls(p, ALICE, "search", 5);
    assertThat(calls(p, ALICE, "search", 1)).containsOnly(PluginResult.block(
        "rate limit exceeded for user alice on tool search, retry after 1s"));

    nanos.addAndGet(TimeUnit.SECONDS.toNanos(1));

    List<PluginResult> next = calls(p, ALICE, "search", 6);
    assertThat(next.subList(0, 5)).containsOnly(PluginResult.proceed());
    assertThat(next.get(5)).isInstanceOf(PluginResult.Block.class);
  }

  @Test
  void tokensComeBackOneByOneAtTheRefillRate() throws Exception {
    RateLimiterPlugin p = limiter("{limit: 4/4s}");
    calls(p, ALICE, "search", 4);

    nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(999));
    PluginResult early = p.apply(Hook.TOOL_PRE_INVOKE, ALICE, call("search"));
    nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
    PluginResult onTime = p.apply(Hook.TOOL_PRE_INVOKE, ALICE, call("search"));
    PluginResult again = p.apply(Hook.TOOL_PRE_INVOKE, ALICE, call("search"));

    assertThat(early).isInstanceOf(PluginResult.Block.class);
    assertThat(onTime).isEqualTo(PluginResult.proceed());
    assertThat(again).isInstanceOf(PluginResult.Block.class);
  }

  @Test
  void longIdleTimeDoesNotOverfillTheBucket() throws Exception {
    RateLimiterPlugin p = limiter("{limit: 2/1s}");
    calls(p, ALICE, "search", 1);

    nanos.addAndGet(TimeUnit.DAYS.toNanos(400));

    List<PluginResult> burst = calls(p, ALICE, "search", 3);
    assertThat(burst.subList(0, 2)).containsOnly(PluginResult.proceed());
    assertThat(burst.get(2)).isInstanceOf(PluginResult.Block.class);
  }

  @Test
  void promptsAndResourcesAreLimitedUnderTheirOwnNames() throws Exception {
    RateLimiterPlugin p = limiter("{limit: 1/1m}");
    ObjectNode prompt = JSON.createObjectNode().put("name", "search");
    ObjectNode resource = JSON.createObjectNode().put("uri", "file:///a.txt");

    calls(p, ALICE, "search", 1);
    PluginResult firstPrompt = p.apply(Hook.PROMPT_PRE_FETCH, ALICE, prompt);
    PluginResult secondPrompt = p.apply(Hook.PROMPT_PRE_FETCH, ALICE, prompt);
    p.apply(Hook.RESOURCE_PRE_FETCH, ALICE, resource);
    PluginResult secondRead = p.apply(Hook.RESOURCE_PRE_FETCH, ALICE, resource);

    assertThat(firstPrompt).isEqualTo(PluginResult.proceed());
    assertThat(secondPrompt).isEqualTo(PluginResult.block(
        "rate limit exceeded for user alice on prompt search, retry after 60s"));
    assertThat(secondRead).isEqualTo(PluginResult.block(
        "rate limit exceeded for user alice on resource file:///a.txt, retry after 60s"));
  }

  @Test
  void memoryIsBoundedByMaxKeys() throws Exception {
    RateLimiterPlugin p = limiter("{limit: 1/1h, max_keys: 50}");

    for (int i = 0; i < 1_000; i++) {
      p.apply(Hook.TOOL_PRE_INVOKE, context("user" + i, "t"), call("search"));
    }

    assertThat(p.bucketCount()).isLessThanOrEqualTo(50);
  }

  @Test
  void idleBucketsExpireAfterAWindowWithoutLosingAnyLimit() throws Exception {
    RateLimiterPlugin p = limiter("{limit: 1/1m}");
    calls(p, ALICE, "search", 1);

    nanos.addAndGet(TimeUnit.MINUTES.toNanos(1) + 1);

    assertThat(p.bucketCount()).isZero();
    assertThat(calls(p, ALICE, "search", 2)).containsExactly(PluginResult.proceed(),
        PluginResult.block("rate limit exceeded for user alice on tool search, retry after 60s"));
  }
}
