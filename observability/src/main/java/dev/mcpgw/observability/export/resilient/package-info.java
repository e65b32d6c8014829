/**
 * Resilient export: {@link dev.mcpgw.observability.export.resilient.ResilientSpanExporter} wraps any span exporter in
 * a circuit breaker and, while the backend fails or the breaker is open, writes batches to a bounded on-disk buffer
 * (OpenTelemetry contrib's disk-buffering) that a background thread replays, oldest first, once the backend answers
 * again. Memory stays bounded (no heap queue beyond one batch being replayed); what cannot be kept is dropped and
 * counted; counts are observable metrics and one summary log line per interval, never a line per span. Nothing here
 * throws into the batch processor that calls it.
 */
package dev.mcpgw.observability.export.resilient;
