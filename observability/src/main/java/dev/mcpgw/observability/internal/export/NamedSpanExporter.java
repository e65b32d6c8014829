package dev.mcpgw.observability.internal.export;

import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * An exporter and the configuration name it was built from.
 *
 * @param name {@code otlp}, {@code jaeger}, {@code zipkin}, {@code console}, {@code otlp_json}, {@code logging-otlp}
 *     or a name given by the embedding code
 * @param exporter the exporter
 */
public record NamedSpanExporter(String name, SpanExporter exporter) {}
