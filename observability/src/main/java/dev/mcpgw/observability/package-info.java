/**
 * Vendor-agnostic OpenTelemetry core of the gateway. {@link dev.mcpgw.observability.Observability} is the one entry
 * point: it turns an {@link dev.mcpgw.observability.config.ObservabilityConfig} into a working pipeline (resource,
 * sampler, privacy masking, exporters, metrics, logs, propagators) and offers the tracing helpers the gateway uses.
 * When observability is disabled every object it hands out is OpenTelemetry's no-op, chosen once at build time.
 */
package dev.mcpgw.observability;
