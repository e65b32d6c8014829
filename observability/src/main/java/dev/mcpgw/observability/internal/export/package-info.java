/**
 * Span exporters by name: otlp over gRPC or HTTP/protobuf, jaeger as OTLP to Jaeger's native receiver, zipkin,
 * console, otlp_json and logging-otlp. {@link dev.mcpgw.observability.internal.export.ExporterRegistry} builds each
 * one, wraps it in the configured decorator and then in
 * {@link dev.mcpgw.observability.internal.export.GuardedSpanExporter}, so it can never throw into the pipeline; one
 * that cannot start is logged once and skipped.
 *
 * <p>Internal to the observability module: not part of its API. Types here are public only so that other packages
 * of this module can use them; the gateway and bench modules must not import them, and they may change or go away
 * at any time (the same convention as the OpenTelemetry Java SDK's {@code internal} packages).
 */
package dev.mcpgw.observability.internal.export;
