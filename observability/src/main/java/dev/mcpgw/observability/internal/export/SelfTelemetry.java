package dev.mcpgw.observability.internal.export;

import io.opentelemetry.sdk.common.InternalTelemetryVersion;

/**
 * Which self-metrics the SDK's processors and exporters report: the OpenTelemetry conventions'
 * {@code otel.sdk.processor.*} and {@code otel.sdk.exporter.*} (queue size and capacity, items processed and dropped,
 * items exported and failed, export duration) rather than the SDK's older {@code queueSize}/{@code processedSpans}/
 * {@code otlp.exporter.*}. One home for the choice, so spans, metrics and logs report alike (ADR 0028).
 */
public final class SelfTelemetry {
  /** For the builders the gateway calls itself (batch span processor, span exporters). */
  public static final InternalTelemetryVersion VERSION = InternalTelemetryVersion.LATEST;
  /** The SDK autoconfigure property that makes the metric and log pipelines it builds report the same way. */
  public static final String PROPERTY = "otel.experimental.sdk.telemetry.version";
  public static final String PROPERTY_VALUE = "latest";

  private SelfTelemetry() {}
}
