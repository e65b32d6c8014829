package dev.mcpgw.gateway.spanstore;

/**
 * One finished span as the store keeps it. Times are epoch nanoseconds; {@code attributes} and {@code events} are
 * JSON text. {@code tenantId} is the tenant of the local request tree the span belongs to, or {@code null}.
 *
 * @param localRoot whether the span's parent is absent or in another process (not stored: it drives tenant stamping)
 */
public record SpanRow(String traceId, String spanId, String parentSpanId, boolean localRoot, String name, String kind,
    long startNs, long durationNs, String status, String tenantId, String userId, String requestId, String toolName,
    String upstream, String method, String service, String attributes, String events) {

  /** This row with {@code tenant} as its tenant. */
  SpanRow withTenant(String tenant) {
    return new SpanRow(traceId, spanId, parentSpanId, localRoot, name, kind, startNs, durationNs, status, tenant, userId,
        requestId, toolName, upstream, method, service, attributes, events);
  }

  public boolean failed() {
    return "error".equals(status);
  }
}
