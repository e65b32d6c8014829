package dev.mcpgw.gateway.plugin.ratelimit;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.mcpgw.gateway.plugin.Plugin;
import dev.mcpgw.gateway.plugin.PluginConfig;
import dev.mcpgw.gateway.plugin.PluginOptions;
import dev.mcpgw.gateway.plugin.PluginProvider;
import java.util.Locale;

/**
 * Kind {@code rate_limiter}. Keys: {@code limit} (required, e.g. {@code 10/1s}), {@code by} ({@code user},
 * {@code tool} or {@code user_tool}, default {@code user_tool}), {@code max_keys} (buckets kept, default 100000).
 */
public final class RateLimiterProvider implements PluginProvider {
  public static final String KIND = "rate_limiter";
  static final int DEFAULT_MAX_KEYS = 100_000;

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public Plugin create(PluginConfig config, PluginOptions options) {
    return create(options, Ticker.systemTicker());
  }

  static RateLimiterPlugin create(PluginOptions options, Ticker ticker) {
    options.allowOnly("limit", "by", "max_keys");
    RateLimit limit = RateLimit.parse(options.pathOf("limit"), options.requiredText("limit", RateLimit.ALLOWED));
    String by = options.oneOf("by", "user_tool", "user", "tool", "user_tool");
    int maxKeys = options.integer("max_keys", DEFAULT_MAX_KEYS, 1, 100_000_000);
    return new RateLimiterPlugin(limit, RateLimiterPlugin.Scope.valueOf(by.toUpperCase(Locale.ROOT)), maxKeys, ticker);
  }
}
