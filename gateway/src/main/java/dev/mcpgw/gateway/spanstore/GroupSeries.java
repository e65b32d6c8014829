package dev.mcpgw.gateway.spanstore;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One tool's, upstream's or method's statistics over a window and per bucket of it.
 *
 * @param total the whole window
 * @param start the first bucket's start; bucket {@code i} starts at {@code start + i * bucket}
 * @param buckets one per bucket, oldest first; a bucket without calls has {@code calls == 0} and zero percentiles
 */
public record GroupSeries(GroupStats total, Instant start, Duration bucket, List<GroupStats> buckets) {
  public GroupSeries {
    buckets = List.copyOf(buckets);
  }
}
