package dev.mcpgw.gateway.plugin.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.auth.Caller;
import dev.mcpgw.gateway.plugin.ConfiguredPlugin;
import dev.mcpgw.gateway.plugin.Hook;
import dev.mcpgw.gateway.plugin.HookContext;
import dev.mcpgw.gateway.plugin.HookOutcome;
import dev.mcpgw.gateway.plugin.PluginChain;
import dev.mcpgw.gateway.plugin.PluginChainListener;
import dev.mcpgw.gateway.plugin.PluginChains;
import dev.mcpgw.gateway.plugin.PluginConfig;
import dev.mcpgw.gateway.plugin.PluginOptions;
import dev.mcpgw.gateway.plugin.pii.PiiFilterProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterConcurrencyTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void manyThreadsThroughOneChainGetExactlyTheLimitPerUser() throws Exception {
    AtomicLong frozen = new AtomicLong(42);
    ObjectNode limiterConfig = JSON.createObjectNode().put("limit", "250/1h").put("by", "user");
    RateLimiterPlugin limiter = RateLimiterProvider.create(PluginOptions.of("c", limiterConfig), frozen::get);
    PluginConfig piiConfig = PluginConfig.builder("pii", PiiFilterProvider.KIND).priority(2).build();
    PluginChain chain = PluginChains.of(List.of(
        new ConfiguredPlugin(PluginConfig.builder("limit", RateLimiterProvider.KIND).priority(1).build(), limiter),
        new ConfiguredPlugin(piiConfig,
            new PiiFilterProvider().create(piiConfig, PluginOptions.of("c", JSON.createObjectNode())))),
        PluginChainListener.NOOP);
    String[] users = {"alice", "bob", "carol", "dave"};
    int threads = 16;
    int callsPerThread = 400;
    AtomicInteger[] allowed = new AtomicInteger[users.length];
    AtomicInteger blocked = new AtomicInteger();
    AtomicInteger masked = new AtomicInteger();
    for (int i = 0; i < users.length; i++) {
      allowed[i] = new AtomicInteger();
    }
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < callsPerThread; i++) {
            int u = (thread + i) % users.length;
            ObjectNode payload = JSON.createObjectNode().put("name", "search");
            payload.putObject("arguments").put("q", "call me at 555-123-4567");
            HookContext ctx = new HookContext(new Caller(users[u], "acme", false), "r" + i, null);
            HookOutcome outcome = chain.run(Hook.TOOL_PRE_INVOKE, ctx, payload);
            if (outcome instanceof HookOutcome.Proceed p) {
              allowed[u].incrementAndGet();
              if (p.payload().at("/arguments/q").asText().equals("call me at [REDACTED]")) {
                masked.incrementAndGet();
              }
            } else {
              blocked.incrementAndGet();
            }
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    for (AtomicInteger a : allowed) {
      assertThat(a).hasValue(250);
    }
    assertThat(blocked).hasValue(threads * callsPerThread - users.length * 250);
    assertThat(masked).hasValue(users.length * 250);
  }
}
