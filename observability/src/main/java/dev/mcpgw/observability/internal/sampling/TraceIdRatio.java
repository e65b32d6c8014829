package dev.mcpgw.observability.internal.sampling;

/**
 * Ratio decisions from the trace id's random low 64 bits, the same rule as the SDK's trace-id ratio sampler, so that
 * a decision is a pure function of the trace id and the ratio.
 */
final class TraceIdRatio {

  private TraceIdRatio() {}

  /** The comparison bound for {@code ratio}: a trace is kept when its random part is below it. */
  static long upperBound(double ratio) {
    if (ratio >= 1.0) {
      return Long.MAX_VALUE;
    }
    if (ratio <= 0.0) {
      return Long.MIN_VALUE;
    }
    return (long) (ratio * Long.MAX_VALUE);
  }

  static boolean keep(String traceId, long upperBound) {
    if (upperBound == Long.MAX_VALUE) {
      return true;
    }
    return (randomPart(traceId) & Long.MAX_VALUE) < upperBound;
  }

  /** The last 16 hex digits of the 32-digit trace id as a long. */
  static long randomPart(String traceId) {
    long value = 0;
    int start = traceId.length() - 16;
    for (int i = Math.max(0, start); i < traceId.length(); i++) {
      value = (value << 4) | Character.digit(traceId.charAt(i), 16) & 0xF;
    }
    return value;
  }
}
