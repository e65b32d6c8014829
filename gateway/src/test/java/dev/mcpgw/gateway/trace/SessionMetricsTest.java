package dev.mcpgw.gateway.trace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mcpgw.gateway.transport.SessionObserver;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.util.Collection;
import org.junit.jupiter.api.Test;

class SessionMetricsTest {
  private final InMemoryMetricReader reader = InMemoryMetricReader.create();
  private final SdkMeterProvider provider = SdkMeterProvider.builder().registerMetricReader(reader).build();

  private static MetricData metric(Collection<MetricData> all, String name) {
    return all.stream().filter(m -> m.getName().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void sessionsAreCountedByTransportWhileOpenAndMeasuredWhenTheyEnd() {
    SessionMetrics sessions = new SessionMetrics(provider.get("test"));
    sessions.opened(SessionObserver.STREAMABLE_HTTP);
    sessions.opened(SessionObserver.STREAMABLE_HTTP);
    sessions.opened(SessionObserver.SSE);
    sessions.ended(SessionObserver.STREAMABLE_HTTP, "2025-11-25", SessionObserver.EXPIRED, 90_000_000_000L);
    sessions.ended(SessionObserver.SSE, null, SessionObserver.DELETED, 2_000_000_000L);

    Collection<MetricData> all = reader.collectAllMetrics();
    assertThat(metric(all, "mcpgw.sessions.active").getLongSumData().getPoints())
        .extracting(p -> p.getAttributes().get(SessionMetrics.TRANSPORT) + "=" + p.getValue())
        .containsExactlyInAnyOrder("streamable_http=1", "sse=0");
    assertThat(metric(all, "mcp.server.session.duration").getHistogramData().getPoints())
        .extracting(p -> p.getAttributes(), p -> p.getSum())
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(Attributes.of(SessionMetrics.TRANSPORT, "streamable_http",
                SessionMetrics.END_REASON, "expired", AttributeKey.stringKey("mcp.protocol.version"), "2025-11-25"),
                90.0),
            org.assertj.core.groups.Tuple.tuple(Attributes.of(SessionMetrics.TRANSPORT, "sse",
                SessionMetrics.END_REASON, "deleted"), 2.0));
  }
}
