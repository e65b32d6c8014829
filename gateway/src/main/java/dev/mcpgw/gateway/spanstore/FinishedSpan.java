package dev.mcpgw.gateway.spanstore;

/**
 * A finished span on its way to the database: what the writer needs to build a trace's line, its request ids and its
 * tenant, and the span itself already encoded as its element of a chunk ({@link ChunkCodec}). Made on the batch
 * processor's thread ({@link SpanRows}), so that the writer's thread only joins the elements of a chunk.
 *
 * @param localRoot whether the span's parent is absent or in another process (not stored: it drives tenant stamping)
 * @param tenantId the tenant of the local request tree the span belongs to, or {@code null}; not in {@code element}
 * @param element the span as a chunk holds it (see {@link ChunkCodec})
 */
record FinishedSpan(String traceId, String spanId, String parentSpanId, boolean localRoot, String name, String kind,
    long startNs, long durationNs, boolean failed, String tenantId, String userId, String requestId, String toolName,
    String upstream, String method, String element) {

  /** The tenant as the store's rows key it: {@code ""} for none. */
  String tenantKey() {
    return tenantId == null ? "" : tenantId;
  }

  /** This span with {@code tenant} as its tenant. */
  FinishedSpan withTenant(String tenant) {
    return new FinishedSpan(traceId, spanId, parentSpanId, localRoot, name, kind, startNs, durationNs, failed, tenant,
        userId, requestId, toolName, upstream, method, element);
  }
}
