/**
 * Vendor-agnostic OpenTelemetry core of the gateway. {@link dev.mcpgw.observability.Observability} is the one entry
 * point: it turns an {@link dev.mcpgw.observability.config.ObservabilityConfig} into a working pipeline (resource,
 * sampler, privacy masking, exporters, metrics, logs, propagators) and offers the tracing helpers the gateway uses.
 * When observability is disabled every object it hands out is OpenTelemetry's no-op, chosen once at build time.
 *
 * <p>The module's API is the public types of the packages outside {@code dev.mcpgw.observability.internal}: this
 * one, {@code config}, {@code export} (with the {@code SpanExporterDecorator} SPI), {@code export.resilient},
 * {@code privacy}, {@code propagation} and {@code semconv}. Types of the {@code internal} packages are public only for
 * the module's own packages; no other module imports them.
 */
package dev.mcpgw.observability;
