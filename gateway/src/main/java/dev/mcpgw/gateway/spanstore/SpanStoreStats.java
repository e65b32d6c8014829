package dev.mcpgw.gateway.spanstore;

/**
 * The store's health: what waits, what was dropped (queue full, or a failed write), what was written and pruned.
 *
 * @param held spans the writer holds until their request tree is complete
 */
public record SpanStoreStats(boolean enabled, int queued, int queueCapacity, long accepted, long dropped,
    long written, long writeFailed, long batches, int largestBatch, long pruned, int held) {}
