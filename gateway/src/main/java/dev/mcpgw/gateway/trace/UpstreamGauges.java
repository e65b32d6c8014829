package dev.mcpgw.gateway.trace;

import dev.mcpgw.gateway.federation.GatewayView;
import dev.mcpgw.observability.semconv.GatewayAttributes;
import dev.mcpgw.observability.semconv.UpstreamAttributes;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableLongGauge;
import java.util.List;
import java.util.function.Supplier;

/**
 * Each registered upstream's health when metrics are collected: {@code mcpgw.upstream.up} (1 healthy, 0 unhealthy or
 * connecting) and {@code mcpgw.upstream.circuit_breaker.state} (0 closed, 1 half-open, 2 open, -1 no session), by
 * upstream name and owning tenant (so a tenant admin's {@code /metrics} shows its own upstreams).
 */
final class UpstreamGauges implements AutoCloseable {
  static final String UP = "mcpgw.upstream.up";
  static final String BREAKER = "mcpgw.upstream.circuit_breaker.state";

  private final ObservableLongGauge up;
  private final ObservableLongGauge breaker;

  UpstreamGauges(Supplier<List<GatewayView>> upstreams, Meter meter) {
    this.up = meter.gaugeBuilder(UP).ofLongs().setUnit("1")
        .setDescription("1 when the upstream answered its last health check").buildWithCallback(m -> {
          for (GatewayView g : upstreams.get()) {
            m.record("healthy".equals(g.status()) ? 1 : 0, attributes(g));
          }
        });
    this.breaker = meter.gaugeBuilder(BREAKER).ofLongs().setUnit("1")
        .setDescription("The upstream's circuit breaker: 0 closed, 1 half-open, 2 open, -1 no session")
        .buildWithCallback(m -> {
          for (GatewayView g : upstreams.get()) {
            m.record(state(g.health() == null ? null : g.health().circuitState()), attributes(g));
          }
        });
  }

  private static Attributes attributes(GatewayView g) {
    return Attributes.of(UpstreamAttributes.UPSTREAM_NAME, g.name(), GatewayAttributes.TENANT_ID, g.tenant());
  }

  static long state(String circuit) {
    if (circuit == null) {
      return -1;
    }
    return switch (circuit) {
      case "CLOSED" -> 0;
      case "HALF_OPEN" -> 1;
      case "OPEN", "FORCED_OPEN" -> 2;
      default -> -1;
    };
  }

  @Override
  public void close() {
    up.close();
    breaker.close();
  }
}
