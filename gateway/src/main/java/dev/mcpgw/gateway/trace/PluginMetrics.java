package dev.mcpgw.gateway.trace;

import dev.mcpgw.gateway.plugin.Hook;
import dev.mcpgw.gateway.plugin.HookContext;
import dev.mcpgw.gateway.plugin.PluginChainListener;
import dev.mcpgw.gateway.plugin.PluginConfig;
import dev.mcpgw.observability.semconv.GatewayAttributes;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.Meter;
import java.util.List;

/**
 * {@code mcpgw.plugin.duration} (seconds) per plugin run, by plugin, hook and outcome: {@code allowed},
 * {@code modified}, {@code blocked} (a rate limit's or quota's refusal too), {@code would_block} (a permissive
 * plugin's) or {@code failed}. Its {@code _count} is the number of runs per outcome. Plugin names come from the
 * configuration file, so the label set is bounded.
 */
final class PluginMetrics implements PluginChainListener {
  static final String NAME = "mcpgw.plugin.duration";
  private static final List<Double> BUCKETS = List.of(0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0);

  private final DoubleHistogram duration;

  PluginMetrics(Meter meter) {
    this.duration = meter.histogramBuilder(NAME).setUnit("s").setDescription("Plugin runs, by outcome")
        .setExplicitBucketBoundariesAdvice(BUCKETS).build();
  }

  @Override
  public void onPluginRun(Hook hook, HookContext context, String plugin, int priority, PluginConfig.Mode mode,
      Outcome outcome, boolean modified, long nanos, Throwable error) {
    duration.record(nanos / 1e9, Attributes.of(GatewayAttributes.PLUGIN_NAME, plugin,
        GatewayAttributes.PLUGIN_HOOK, hook.name().toLowerCase(java.util.Locale.ROOT),
        GatewayAttributes.PLUGIN_OUTCOME, outcome(outcome, modified)));
  }

  static String outcome(Outcome outcome, boolean modified) {
    return switch (outcome) {
      case PROCEEDED -> modified ? "modified" : "allowed";
      case BLOCKED -> "blocked";
      case WOULD_BLOCK -> "would_block";
      case FAILED -> "failed";
    };
  }
}
