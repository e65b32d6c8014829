package dev.mcpgw.gateway.trace;

import dev.mcpgw.gateway.plugin.Hook;
import dev.mcpgw.gateway.plugin.HookContext;
import dev.mcpgw.gateway.plugin.PluginChainListener;
import dev.mcpgw.gateway.plugin.PluginConfig;
import dev.mcpgw.observability.semconv.GatewayAttributes;
import dev.mcpgw.observability.semconv.McpAttributes;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Turns every plugin run into a {@code plugin.<hook>} span under the current one (the MCP SERVER span): plugin name,
 * priority, mode, outcome and whether it modified the payload; the {@code plugin.<phase>.executed} event on the
 * request's span, so the plugin order reads off it. The chain reports a run after it finished, so the span gets
 * explicit start and end times. A plugin that threw is recorded by its exception type only (its message may quote the
 * payload).
 */
final class PluginSpans implements PluginChainListener {
  static final AttributeKey<String> EXCEPTION_TYPE = AttributeKey.stringKey("exception.type");

  private final Tracer tracer;
  private final Map<Hook, String> spanNames = new EnumMap<>(Hook.class);
  private final Map<Hook, String> eventNames = new EnumMap<>(Hook.class);

  PluginSpans(Tracer tracer) {
    this.tracer = tracer;
    for (Hook hook : Hook.values()) {
      String name = hook.configName();
      spanNames.put(hook, GatewayAttributes.SPAN_PLUGIN_PREFIX + name);
      // tool_pre_invoke -> plugin.pre_invoke.executed, as docs/trace-shape.md names it
      eventNames.put(hook, GatewayAttributes.SPAN_PLUGIN_PREFIX + name.substring(name.indexOf('_') + 1) + ".executed");
    }
  }

  @Override
  public void onPluginRun(Hook hook, HookContext context, String plugin, int priority, PluginConfig.Mode mode,
      Outcome outcome, boolean modified, long nanos, Throwable error) {
    long end = epochNanos();
    Span request = Span.current();
    Span span = tracer.spanBuilder(spanNames.get(hook))
        .setStartTimestamp(end - nanos, TimeUnit.NANOSECONDS)
        .setAttribute(GatewayAttributes.PLUGIN_NAME, plugin)
        .setAttribute(GatewayAttributes.PLUGIN_HOOK, hook.configName())
        .setAttribute(GatewayAttributes.PLUGIN_PRIORITY, (long) priority)
        .setAttribute(GatewayAttributes.PLUGIN_MODE, mode.configName())
        .setAttribute(GatewayAttributes.PLUGIN_OUTCOME, outcome.name().toLowerCase(Locale.ROOT))
        .setAttribute(GatewayAttributes.PLUGIN_MODIFIED, modified)
        .setAttribute(GatewayAttributes.USER_ID, context.caller().userId())
        .setAttribute(GatewayAttributes.TENANT_ID, context.caller().tenantId())
        .startSpan();
    if (outcome == Outcome.BLOCKED) {
      span.setStatus(StatusCode.ERROR, "blocked by plugin '" + plugin + "'");
      span.setAttribute(McpAttributes.ERROR_TYPE, "plugin_blocked");
    } else if (outcome == Outcome.FAILED && error != null) {
      span.setStatus(StatusCode.ERROR, error.getClass().getName());
      span.setAttribute(McpAttributes.ERROR_TYPE, error.getClass().getName());
      span.addEvent("exception", Attributes.of(EXCEPTION_TYPE, error.getClass().getName()), end, TimeUnit.NANOSECONDS);
    }
    span.end(end, TimeUnit.NANOSECONDS);
    request.addEvent(eventNames.get(hook), Attributes.of(GatewayAttributes.PLUGIN_NAME, plugin,
        GatewayAttributes.PLUGIN_OUTCOME, outcome.name().toLowerCase(Locale.ROOT)), end, TimeUnit.NANOSECONDS);
  }

  private static long epochNanos() {
    Instant now = Instant.now();
    return TimeUnit.SECONDS.toNanos(now.getEpochSecond()) + now.getNano();
  }
}
