/**
 * The built-in {@code rate_limiter} plugin: token buckets per user, per tool (prompt, resource) or per user and tool,
 * held in a bounded Caffeine cache with an injectable ticker, refusing calls over the limit with a retry hint.
 */
package dev.mcpgw.gateway.plugin.ratelimit;
