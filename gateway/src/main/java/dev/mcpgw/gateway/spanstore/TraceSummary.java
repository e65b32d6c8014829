package dev.mcpgw.gateway.spanstore;

import java.time.Instant;

/** One line of the trace list, over the spans the caller may see. */
public record TraceSummary(String traceId, String name, Instant start, double durationMs, String status,
    String requestId, String user, String tenant, String tool, int spanCount) {}
