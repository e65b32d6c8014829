package dev.mcpgw.observability.config;

import java.util.Map;
import java.util.Objects;

/**
 * Everything the observability module needs to build its OpenTelemetry pipeline.
 *
 * @param enabled master switch ({@code OTEL_ENABLE_OBSERVABILITY}); when false every object is a no-op
 * @param resource who we are: service name, version, environment, extra resource attributes
 * @param tracing span pipeline: exporters, sampling, propagation, batching, limits
 * @param metrics meter pipeline
 * @param logs log-record pipeline
 * @param privacy masking of sensitive data and opt-in payload capture
 * @param sdkProperties further standard {@code otel.*} properties handed unchanged to the SDK's autoconfigure
 */
public record ObservabilityConfig(
    boolean enabled,
    ResourceConfig resource,
    TracingConfig tracing,
    MetricsConfig metrics,
    LogsConfig logs,
    PrivacyConfig privacy,
    Map<String, String> sdkProperties) {

  public ObservabilityConfig {
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(tracing, "tracing");
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(logs, "logs");
    Objects.requireNonNull(privacy, "privacy");
    sdkProperties = Map.copyOf(sdkProperties);
  }

  /** The defaults: enabled, nothing exported, privacy on. Same as loading an empty environment and no file. */
  public static ObservabilityConfig defaults() {
    return ObservabilityConfigLoader.load(Map.of(), null);
  }

  /** A disabled configuration: the module hands out OpenTelemetry's no-op objects. */
  public static ObservabilityConfig disabled() {
    return ObservabilityConfigLoader.load(Map.of("OTEL_ENABLE_OBSERVABILITY", "false"), null);
  }

  /** Like the record's own, but header properties show names only: their values are credentials. */
  @Override
  public String toString() {
    Map<String, String> shown = new java.util.TreeMap<>(sdkProperties);
    shown.replaceAll((k, v) -> k.endsWith("headers") ? "***" : v);
    return "ObservabilityConfig[enabled=" + enabled + ", resource=" + resource + ", tracing=" + tracing
        + ", metrics=" + metrics + ", logs=" + logs + ", privacy=" + privacy + ", sdkProperties=" + shown + "]";
  }

  public ObservabilityConfig withTracing(TracingConfig newTracing) {
    return new ObservabilityConfig(enabled, resource, newTracing, metrics, logs, privacy, sdkProperties);
  }

  public ObservabilityConfig withMetrics(MetricsConfig newMetrics) {
    return new ObservabilityConfig(enabled, resource, tracing, newMetrics, logs, privacy, sdkProperties);
  }

  public ObservabilityConfig withPrivacy(PrivacyConfig newPrivacy) {
    return new ObservabilityConfig(enabled, resource, tracing, metrics, logs, newPrivacy, sdkProperties);
  }
}
