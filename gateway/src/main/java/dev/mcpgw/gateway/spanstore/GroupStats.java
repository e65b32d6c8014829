package dev.mcpgw.gateway.spanstore;

/** Calls, failures and latency percentiles (milliseconds) of one tool, upstream or method over a window. */
public record GroupStats(String key, long calls, long errors, double errorRate, double p50Ms, double p95Ms,
    double p99Ms) {}
