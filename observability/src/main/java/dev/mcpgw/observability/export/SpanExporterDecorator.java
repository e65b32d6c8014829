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

  static SpanExporterDecorator identity() {
    return (name, exporter) -> exporter;
  }
}
