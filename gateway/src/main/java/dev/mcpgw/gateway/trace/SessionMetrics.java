package dev.mcpgw.gateway.trace;

import dev.mcpgw.gateway.transport.SessionObserver;
import dev.mcpgw.observability.semconv.McpAttributes;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongUpDownCounter;
import io.opentelemetry.api.metrics.Meter;
import java.util.List;

/**
 * The downstream session metrics: {@code mcp.server.session.duration} (seconds, as the MCP conventions name it),
 * recorded when a session ends, by transport, negotiated protocol version and why it ended; and
 * {@code mcpgw.sessions.active}, the sessions open now by transport (the conventions define no such instrument).
 * Every label is bounded: two transports, the protocol versions the gateway negotiates, three end reasons.
 */
final class SessionMetrics implements SessionObserver {
  static final AttributeKey<String> TRANSPORT = AttributeKey.stringKey("mcpgw.transport");
  static final AttributeKey<String> END_REASON = AttributeKey.stringKey("mcpgw.session.end_reason");
  // sessions last from a stateless client's milliseconds to a desktop client's day
  private static final List<Double> BUCKETS =
      List.of(0.1, 0.5, 1.0, 5.0, 10.0, 30.0, 60.0, 300.0, 900.0, 1800.0, 3600.0, 14400.0, 86400.0);
  private static final Attributes STREAMABLE = Attributes.of(TRANSPORT, STREAMABLE_HTTP);
  private static final Attributes LEGACY = Attributes.of(TRANSPORT, SSE);

  private final DoubleHistogram duration;
  private final LongUpDownCounter active;

  SessionMetrics(Meter meter) {
    this.duration = meter.histogramBuilder(McpAttributes.METRIC_SERVER_SESSION_DURATION).setUnit("s")
        .setDescription("Downstream MCP sessions from initialize to their end")
        .setExplicitBucketBoundariesAdvice(BUCKETS).build();
    this.active = meter.upDownCounterBuilder(GatewayTelemetry.ACTIVE_SESSIONS).setUnit("{session}")
        .setDescription("Client MCP sessions open now").build();
  }

  @Override
  public void opened(String transport) {
    active.add(1, SSE.equals(transport) ? LEGACY : STREAMABLE);
  }

  @Override
  public void ended(String transport, String protocolVersion, String reason, long nanos) {
    try {
      active.add(-1, SSE.equals(transport) ? LEGACY : STREAMABLE);
      AttributesBuilder a = Attributes.builder().put(TRANSPORT, transport).put(END_REASON, reason);
      if (protocolVersion != null) {
        a.put(McpAttributes.MCP_PROTOCOL_VERSION, protocolVersion);
      }
      duration.record(nanos / 1e9, a.build());
    } catch (RuntimeException e) {
      // telemetry only: a session's end goes on
    }
  }
}
