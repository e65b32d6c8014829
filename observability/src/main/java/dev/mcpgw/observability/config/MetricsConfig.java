package dev.mcpgw.observability.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The meter pipeline.
 *
 * @param enabled {@code observability.metrics.enabled}
 * @param exporters metric exporters: otlp, prometheus (scraped from the gateway's /metrics), console,
 *     none
 * @param exportInterval interval of push exporters ({@code OTEL_METRIC_EXPORT_INTERVAL})
 * @param collectors the named collectors (system, http, database) and whether each is on
 */
public record MetricsConfig(
    boolean enabled, List<String> exporters, Duration exportInterval, List<Collector> collectors) {
  /** The default of {@code OTEL_METRIC_EXPORT_INTERVAL}: 60 s, as the OpenTelemetry specification says. */
  public static final Duration DEFAULT_EXPORT_INTERVAL = Duration.ofSeconds(60);

  public MetricsConfig {
    exporters = List.copyOf(exporters);
    Objects.requireNonNull(exportInterval, "exportInterval");
    collectors = List.copyOf(collectors);
  }

  /** Whether the named collector (system, http, database) is on; collectors not listed are on. */
  public boolean collectorEnabled(String name) {
    if (!enabled) {
      return false;
    }
    for (Collector c : collectors) {
      if (c.name().equalsIgnoreCase(name)) {
        return c.enabled();
      }
    }
    return true;
  }

  /**
   * One entry of {@code observability.metrics.collectors}.
   *
   * @param name system, http or database
   * @param enabled whether the collector records
   * @param interval the per-collector interval; accepted for compatibility, collection follows
   *     {@code export_interval}
   */
  public record Collector(String name, boolean enabled, Duration interval) {}
}
