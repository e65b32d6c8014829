/**
 * Export seams of the public API. {@link dev.mcpgw.observability.export.SpanExporterDecorator} is the SPI through
 * which each configured span exporter can be wrapped (resilient export uses it, inside the privacy sanitiser, so a
 * decorator only ever sees masked spans). {@link dev.mcpgw.observability.export.MetricsScrape} renders the Prometheus
 * text format for the gateway's {@code /metrics}. The exporters themselves are built by name in
 * {@code dev.mcpgw.observability.internal.export}.
 */
package dev.mcpgw.observability.export;
