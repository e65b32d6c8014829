package dev.mcpgw.gateway.upstream;

import dev.mcpgw.gateway.testing.FaultyHttpProxy;
import dev.mcpgw.observability.Observability;
import dev.mcpgw.observability.config.ObservabilityConfigLoader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import java.util.Map;

/**
 * What an upstream client test opens: tracing with its spans kept in {@link #memory} (when the test asks for it), the
 * recording, fault-injecting proxy in front of the real upstream, and the pool that connects through it. A test holds
 * one per test method and closes it after each; closing closes what was opened.
 */
final class UpstreamRig implements AutoCloseable {
  final InMemorySpanExporter memory = InMemorySpanExporter.create();
  Observability observability;
  FaultyHttpProxy proxy;
  UpstreamConnections pool;

  /** Tracing on, spans exported every 10 ms into {@link #memory}; nothing leaves the process. */
  Observability tracing() {
    observability = Observability.builder(ObservabilityConfigLoader.load(Map.of("OTEL_METRICS_EXPORTER", "none",
        "OTEL_TRACES_EXPORTER", "none", "OTEL_LOGS_EXPORTER", "none", "OTEL_BSP_SCHEDULE_DELAY", "10"), null))
        .addSpanExporter("memory", memory).build();
    return observability;
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.close();
    }
    if (proxy != null) {
      proxy.close();
    }
    if (observability != null) {
      observability.shutdown();
    }
  }
}
