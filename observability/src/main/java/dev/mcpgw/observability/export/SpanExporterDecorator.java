package dev.mcpgw.observability.export;

import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * Wraps each real exporter (for example in a circuit breaker with a disk buffer). Applied per exporter, inside the
 * sanitiser, so decorators only ever see masked spans.
 */
@FunctionalInterface
public interface SpanExporterDecorator {

  /**
   * @param name the exporter's configuration name ({@code otlp}, {@code zipkin}, ...)
   * @param exporter the exporter to wrap
   */
  SpanExporter decorate(String name, SpanExporter exporter);

  /**
   * Whether the decorated exporter keeps failed batches and sends them again itself (the resilient export does). The
   * exporters it wraps are then built without the SDK's own retries: a retrying export holds the batch processor for
   * up to the export timeout while its queue fills, and a retry that succeeds after an outage arrives ahead of the
   * batches kept before it.
   */
  default boolean replaysFailedExports() {
    return false;
  }

  static SpanExporterDecorator identity() {
    return (name, exporter) -> exporter;
  }
}
