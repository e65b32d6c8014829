package dev.mcpgw.gateway.usage;

/**
 * What one roll-up row adds up: calls, errors, tokens, cost (in billionths of the currency unit, so that instances
 * add exactly) and the latency histogram. Mutable, used by one thread at a time.
 */
final class UsageTotals {
  long calls;
  long errors;
  long argumentsTokens;
  long resultTokens;
  long inputTokens;
  long outputTokens;
  long costNanos;
  final long[] latency = new long[LatencyBuckets.COUNT];

  void add(Accounted a) {
    calls++;
    if (!a.ok()) {
      errors++;
    }
    argumentsTokens += a.argumentsTokens();
    resultTokens += a.resultTokens();
    inputTokens += a.inputTokens();
    outputTokens += a.outputTokens();
    costNanos += toNanos(a.cost());
    latency[LatencyBuckets.of(a.durationNanos())]++;
  }

  static long toNanos(double cost) {
    return Math.round(cost * 1e9);
  }

  static double fromNanos(long nanos) {
    return nanos / 1e9;
  }
}
