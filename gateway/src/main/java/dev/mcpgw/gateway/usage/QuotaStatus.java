package dev.mcpgw.gateway.usage;

import java.time.Instant;

/** A quota with what its current window has used: {@code utilization} is {@code used / limit} (may exceed 1). */
public record QuotaStatus(Quota quota, double used, Instant resetsAt) {
  public double utilization() {
    return quota.limit() <= 0 ? (used > 0 ? 1 : 0) : used / quota.limit();
  }
}
