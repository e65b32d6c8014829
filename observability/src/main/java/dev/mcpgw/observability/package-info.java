/** Vendor-agnostic OpenTelemetry core of the gateway: configuration, exporters, sampling, privacy, propagation. */
package dev.mcpgw.observability;
