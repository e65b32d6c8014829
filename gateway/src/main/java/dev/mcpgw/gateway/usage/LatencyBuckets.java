package dev.mcpgw.gateway.usage;

/**
 * The fixed latency histogram every per-minute roll-up row carries (one column per bucket), so that roll-ups of any
 * range, tenant or instance add up and p50/p95 come from the sum: upper bounds in milliseconds, the last bucket
 * open-ended. A percentile is interpolated linearly inside its bucket, so it is exact to the bucket's width.
 */
final class LatencyBuckets {
  /** Upper bounds (ms) of all buckets but the last. */
  static final long[] BOUNDS_MS = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 30_000, 60_000};
  static final int COUNT = BOUNDS_MS.length + 1;

  private LatencyBuckets() {}

  /** The bucket of a duration. */
  static int of(long nanos) {
    double ms = nanos / 1_000_000d;
    for (int i = 0; i < BOUNDS_MS.length; i++) {
      if (ms <= BOUNDS_MS[i]) {
        return i;
      }
    }
    return BOUNDS_MS.length;
  }

  /** The {@code q} quantile (0..1) in milliseconds of the counts; 0 when there are none. */
  static double percentile(long[] counts, double q) {
    long total = 0;
    for (long c : counts) {
      total += c;
    }
    if (total == 0) {
      return 0;
    }
    double target = q * total;
    long before = 0;
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] > 0 && before + counts[i] >= target) {
        if (i == BOUNDS_MS.length) {
          return BOUNDS_MS[BOUNDS_MS.length - 1];
        }
        double lower = i == 0 ? 0 : BOUNDS_MS[i - 1];
        double upper = BOUNDS_MS[i];
        double fraction = (target - before) / counts[i];
        return Math.round((lower + (upper - lower) * fraction) * 100) / 100d;
      }
      before += counts[i];
    }
    return BOUNDS_MS[BOUNDS_MS.length - 1];
  }
}
