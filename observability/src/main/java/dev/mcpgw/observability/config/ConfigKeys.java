package dev.mcpgw.observability.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The one list of settings the loader accepts: environment variables and YAML paths. {@code docs/configuration.md}
 * must list exactly these (a test compares them), so adding a key here without documenting it fails the build.
 */
final class ConfigKeys {

  static final String[] OTLP_SUFFIXES = {
      "ENDPOINT", "PROTOCOL", "HEADERS", "INSECURE", "CERTIFICATE", "CLIENT_KEY", "CLIENT_CERTIFICATE", "TIMEOUT",
      "COMPRESSION"};

  /** Standard keys the loader validates and then hands to the SDK's autoconfigure unchanged (metrics and logs). */
  static final List<String> SDK_PASSTHROUGH = passthrough();

  static final List<String> ENV = env();

  /** YAML paths; {@code .*} ends a free-form map, {@code []} marks list elements. */
  static final List<String> YAML = List.of(
      "observability.enabled",
      "observability.resource.service_name",
      "observability.resource.service_version",
      "observability.resource.deployment_environment",
      "observability.resource.attributes.*",
      "observability.tracing.enabled",
      "observability.tracing.exporter.type",
      "observability.tracing.exporter.endpoint",
      "observability.tracing.exporter.protocol",
      "observability.tracing.exporter.headers.*",
      "observability.tracing.exporter.insecure",
      "observability.tracing.exporter.certificate",
      "observability.tracing.exporter.client_key",
      "observability.tracing.exporter.client_certificate",
      "observability.tracing.exporter.timeout",
      "observability.tracing.exporter.compression",
      "observability.tracing.exporter.jaeger_endpoint",
      "observability.tracing.exporter.zipkin_endpoint",
      "observability.tracing.sampling.strategy",
      "observability.tracing.sampling.rate",
      "observability.tracing.sampling.max_per_second",
      "observability.tracing.propagators",
      "observability.tracing.batch.schedule_delay",
      "observability.tracing.batch.export_timeout",
      "observability.tracing.batch.max_queue_size",
      "observability.tracing.batch.max_export_batch_size",
      "observability.tracing.limits.attribute_value_length",
      "observability.tracing.limits.attribute_count",
      "observability.tracing.resilience.failure_threshold",
      "observability.tracing.resilience.open_duration",
      "observability.tracing.resilience.buffer_dir",
      "observability.tracing.resilience.max_disk_bytes",
      "observability.tracing.resilience.max_buffer_age",
      "observability.metrics.enabled",
      "observability.metrics.exporter",
      "observability.metrics.export_interval",
      "observability.metrics.collectors[].name",
      "observability.metrics.collectors[].enabled",
      "observability.metrics.collectors[].interval",
      "observability.logs.enabled",
      "observability.logs.exporter",
      "observability.data_privacy.sanitize_pii",
      "observability.data_privacy.include_defaults",
      "observability.data_privacy.sensitive_fields",
      "observability.data_privacy.mask_patterns[].regex",
      "observability.data_privacy.mask_patterns[].replacement",
      "observability.data_privacy.capture_payloads");

  private ConfigKeys() {}

  private static List<String> passthrough() {
    List<String> keys = new ArrayList<>();
    for (String signal : List.of("METRICS", "LOGS")) {
      for (String suffix : OTLP_SUFFIXES) {
        if (!suffix.equals("INSECURE")) {
          keys.add("OTEL_EXPORTER_OTLP_" + signal + "_" + suffix);
        }
      }
    }
    keys.add("OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE");
    keys.add("OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION");
    keys.add("OTEL_METRIC_EXPORT_TIMEOUT");
    keys.add("OTEL_METRICS_EXEMPLAR_FILTER");
    keys.addAll(List.of("OTEL_BLRP_SCHEDULE_DELAY", "OTEL_BLRP_EXPORT_TIMEOUT", "OTEL_BLRP_MAX_QUEUE_SIZE",
        "OTEL_BLRP_MAX_EXPORT_BATCH_SIZE", "OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT", "OTEL_ATTRIBUTE_COUNT_LIMIT"));
    return List.copyOf(keys);
  }

  private static List<String> env() {
    Set<String> keys = new LinkedHashSet<>(List.of(
        "OTEL_ENABLE_OBSERVABILITY", "OTEL_SDK_DISABLED", "OTEL_SERVICE_NAME", "OTEL_SERVICE_VERSION",
        "OTEL_DEPLOYMENT_ENVIRONMENT", "OTEL_RESOURCE_ATTRIBUTES", "OTEL_TRACES_EXPORTER"));
    for (String suffix : OTLP_SUFFIXES) {
      keys.add("OTEL_EXPORTER_OTLP_" + suffix);
    }
    for (String suffix : OTLP_SUFFIXES) {
      keys.add("OTEL_EXPORTER_OTLP_TRACES_" + suffix);
    }
    keys.addAll(List.of(
        "OTEL_EXPORTER_JAEGER_ENDPOINT", "OTEL_EXPORTER_ZIPKIN_ENDPOINT",
        "OTEL_TRACES_SAMPLER", "OTEL_TRACES_SAMPLER_ARG", "OTEL_PROPAGATORS",
        "OTEL_BSP_SCHEDULE_DELAY", "OTEL_BSP_EXPORT_TIMEOUT", "OTEL_BSP_MAX_QUEUE_SIZE",
        "OTEL_BSP_MAX_EXPORT_BATCH_SIZE",
        "OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT", "OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT", "OTEL_SPAN_EVENT_COUNT_LIMIT",
        "OTEL_SPAN_LINK_COUNT_LIMIT", "OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT", "OTEL_LINK_ATTRIBUTE_COUNT_LIMIT",
        "OTEL_SANITIZE_PII", "OTEL_CAPTURE_PAYLOADS",
        "OTEL_METRICS_EXPORTER", "OTEL_METRIC_EXPORT_INTERVAL", "OTEL_LOGS_EXPORTER"));
    keys.addAll(SDK_PASSTHROUGH);
    return List.copyOf(keys);
  }

  static Set<String> all() {
    Set<String> all = new LinkedHashSet<>(ENV);
    all.addAll(YAML);
    return Collections.unmodifiableSet(all);
  }
}
