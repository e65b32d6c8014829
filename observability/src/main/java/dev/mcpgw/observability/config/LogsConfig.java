package dev.mcpgw.observability.config;

import java.util.List;

/**
 * The log-record pipeline (application logs bridged to OpenTelemetry).
 *
 * @param enabled {@code observability.logs.enabled}
 * @param exporters log exporters: otlp, console, logging-otlp, none
 */
public record LogsConfig(boolean enabled, List<String> exporters) {

  public LogsConfig {
    exporters = List.copyOf(exporters);
  }
}
