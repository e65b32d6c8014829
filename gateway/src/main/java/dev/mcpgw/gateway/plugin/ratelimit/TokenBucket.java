package dev.mcpgw.gateway.plugin.ratelimit;

/**
 * A token bucket holding {@code permits} tokens that refills continuously at {@code permits} per window. Counted in
 * integer "units" (one token is {@code window} units, refilled at {@code permits} units per nanosecond) so that the
 * arithmetic is exact: N calls pass, the next is refused, and a full window later N pass again.
 */
final class TokenBucket {
  private final long capacity;
  private final long cost;
  private final long refillPerNano;
  private final long windowNanos;
  private long units;
  private long lastNanos;

  TokenBucket(RateLimit limit, long nowNanos) {
    this.windowNanos = limit.window().toNanos();
    this.refillPerNano = limit.permits();
    this.cost = windowNanos;
    this.capacity = windowNanos * limit.permits(); // RateLimit.parse checked that this fits
    this.units = capacity;
    this.lastNanos = nowNanos;
  }

  /**
   * Takes one token if there is one.
   *
   * @return 0 when a token was taken, else how many nanoseconds until one will be there
   */
  synchronized long tryAcquire(long nowNanos) {
    long elapsed = nowNanos - lastNanos;
    if (elapsed > 0) {
      // after a whole window the bucket is full whatever it held, so capping keeps the product from overflowing
      units = Math.min(capacity, units + Math.min(elapsed, windowNanos) * refillPerNano);
      lastNanos = nowNanos;
    }
    if (units >= cost) {
      units -= cost;
      return 0;
    }
    return (cost - units + refillPerNano - 1) / refillPerNano;
  }
}
