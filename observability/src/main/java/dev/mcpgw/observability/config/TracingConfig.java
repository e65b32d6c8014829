package dev.mcpgw.observability.config;

import java.util.List;
import java.util.Objects;

/**
 * The span pipeline.
 *
 * @param enabled {@code observability.tracing.enabled}; false keeps metrics and logs but records no spans
 * @param exporter where spans go
 * @param sampling which new traces are recorded
 * @param propagators context propagation formats in order (tracecontext, baggage, b3, b3multi, jaeger, ottrace, none)
 * @param batch batch span processor settings
 * @param limits span limits
 * @param resilience the export circuit breaker and on-disk buffer
 */
public record TracingConfig(
    boolean enabled,
    ExporterConfig exporter,
    SamplingConfig sampling,
    List<String> propagators,
    BatchConfig batch,
    LimitsConfig limits,
    ExportResilienceConfig resilience) {

  public TracingConfig {
    Objects.requireNonNull(exporter, "exporter");
    Objects.requireNonNull(sampling, "sampling");
    Objects.requireNonNull(batch, "batch");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(resilience, "resilience");
    propagators = List.copyOf(propagators);
  }

  public TracingConfig withExporter(ExporterConfig newExporter) {
    return new TracingConfig(enabled, newExporter, sampling, propagators, batch, limits, resilience);
  }

  public TracingConfig withSampling(SamplingConfig newSampling) {
    return new TracingConfig(enabled, exporter, newSampling, propagators, batch, limits, resilience);
  }

  public TracingConfig withBatch(BatchConfig newBatch) {
    return new TracingConfig(enabled, exporter, sampling, propagators, newBatch, limits, resilience);
  }

  public TracingConfig withLimits(LimitsConfig newLimits) {
    return new TracingConfig(enabled, exporter, sampling, propagators, batch, newLimits, resilience);
  }

  public TracingConfig withResilience(ExportResilienceConfig newResilience) {
    return new TracingConfig(enabled, exporter, sampling, propagators, batch, limits, newResilience);
  }
}
