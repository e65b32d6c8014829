/**
 * Exporters. {@link dev.mcpgw.observability.export.ExporterRegistry} turns the configured names (otlp over gRPC or
 * HTTP/protobuf, jaeger as OTLP to Jaeger's native receiver, zipkin, console, otlp_json, logging-otlp) into span
 * exporters, each wrapped so that it can never throw into the pipeline; one that cannot start is logged once and
 * skipped. {@link dev.mcpgw.observability.export.SpanExporterDecorator} is the seam where resilient export (circuit
 * breaker and disk buffer) wraps each exporter. {@link dev.mcpgw.observability.export.MetricsScrape} renders the
 * Prometheus text format for the gateway's {@code /metrics}.
 */
package dev.mcpgw.observability.export;
