package dev.mcpgw.gateway.plugin.ratelimit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.mcpgw.gateway.plugin.Hook;
import dev.mcpgw.gateway.plugin.HookContext;
import dev.mcpgw.gateway.plugin.Plugin;
import dev.mcpgw.gateway.plugin.PluginResult;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Limits calls per user, per tool (prompt, resource) or per user and tool, with one token bucket per key in a
 * Caffeine cache. The cache is bounded ({@code max_keys}) and forgets a key after a window without calls, when its
 * bucket would be full again anyway, so memory stays fixed and no state is lost by expiry. Limits are per gateway
 * instance.
 */
final class RateLimiterPlugin implements Plugin {
  private static final Set<Hook> HOOKS =
      Set.copyOf(EnumSet.of(Hook.TOOL_PRE_INVOKE, Hook.PROMPT_PRE_FETCH, Hook.RESOURCE_PRE_FETCH));

  /** What one bucket counts. */
  enum Scope {
    USER, TOOL, USER_TOOL
  }

  /** A bucket's key; the parts a scope does not count are {@code null}. */
  private record Key(String tenant, String user, Hook hook, String target) {}

  private final RateLimit limit;
  private final Scope scope;
  private final Ticker ticker;
  private final Cache<Key, TokenBucket> buckets;

  RateLimiterPlugin(RateLimit limit, Scope scope, int maxKeys, Ticker ticker) {
    this.limit = limit;
    this.scope = scope;
    this.ticker = ticker;
    this.buckets = Caffeine.newBuilder()
        .maximumSize(maxKeys)
        .expireAfterAccess(limit.window())
        .ticker(ticker)
        .build();
  }

  @Override
  public Set<Hook> hooks() {
    return HOOKS;
  }

  @Override
  public PluginResult apply(Hook hook, HookContext context, ObjectNode payload) {
    String user = context.caller().userId();
    String target = payload.path(hook == Hook.RESOURCE_PRE_FETCH ? "uri" : "name").asText("");
    Key key = switch (scope) {
      case USER -> new Key(context.caller().tenantId(), user, null, null);
      case TOOL -> new Key(null, null, hook, target);
      case USER_TOOL -> new Key(context.caller().tenantId(), user, hook, target);
    };
    long now = ticker.read();
    long waitNanos = buckets.get(key, k -> new TokenBucket(limit, now)).tryAcquire(now);
    if (waitNanos == 0) {
      return PluginResult.proceed();
    }
    long seconds = Math.max(1, (waitNanos + TimeUnit.SECONDS.toNanos(1) - 1) / TimeUnit.SECONDS.toNanos(1));
    String what = switch (hook) {
      case PROMPT_PRE_FETCH -> "prompt";
      case RESOURCE_PRE_FETCH -> "resource";
      default -> "tool";
    };
    String on = switch (scope) {
      case USER -> "for user " + user;
      case TOOL -> "on " + what + " " + target;
      case USER_TOOL -> "for user " + user + " on " + what + " " + target;
    };
    return PluginResult.block("rate limit exceeded " + on + ", retry after " + seconds + "s");
  }

  /** The number of buckets held (for tests of the memory bound). */
  long bucketCount() {
    buckets.cleanUp();
    return buckets.estimatedSize();
  }
}
