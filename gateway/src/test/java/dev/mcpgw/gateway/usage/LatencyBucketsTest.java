package dev.mcpgw.gateway.usage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencyBucketsTest {

  @Test
  void percentilesComeFromTheBucketsInterpolatedInsideOne() {
    long[] counts = new long[LatencyBuckets.COUNT];
    // 100 calls of 30..50 ms (bucket 20..50), 10 of 150 ms (bucket 100..200)
    for (int i = 0; i < 100; i++) {
      counts[LatencyBuckets.of(30_000_000L)]++;
    }
    for (int i = 0; i < 10; i++) {
      counts[LatencyBuckets.of(150_000_000L)]++;
    }
    assertThat(LatencyBuckets.percentile(counts, 0.5)).isBetween(20.0, 50.0);
    assertThat(LatencyBuckets.percentile(counts, 0.95)).isBetween(100.0, 200.0);
  }

  @Test
  void noCallsHaveNoLatencyAndTheOpenBucketReportsItsLowerBound() {
    assertThat(LatencyBuckets.percentile(new long[LatencyBuckets.COUNT], 0.5)).isZero();
    long[] counts = new long[LatencyBuckets.COUNT];
    counts[LatencyBuckets.of(600_000_000_000L)] = 3;
    assertThat(LatencyBuckets.percentile(counts, 0.95)).isEqualTo(60_000.0);
  }
}
