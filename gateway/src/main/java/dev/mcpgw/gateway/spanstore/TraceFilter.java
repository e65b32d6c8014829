package dev.mcpgw.gateway.spanstore;

/**
 * What {@code GET /observability/traces} filters on; {@code null} means no filter. A trace matches when, for each of
 * request id, trace id, user, tenant and tool that is given, one of its spans the caller may see has it (not
 * necessarily the same span); {@code status} and
 * {@code minDurationMs} apply to the whole trace, {@code fromNs}/{@code toNs} to its start (epoch nanoseconds).
 */
public record TraceFilter(String requestId, String traceId, String user, String tenant, String tool, String status,
    Long minDurationMs, Long fromNs, Long toNs, int limit, int offset) {
  /** The most traces one page holds. */
  public static final int MAX_LIMIT = 500;
  public static final int DEFAULT_LIMIT = 50;

  public TraceFilter {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be 1 to " + MAX_LIMIT);
    }
    if (offset < 0) {
      throw new IllegalArgumentException("offset must not be negative");
    }
    if (status != null && !status.equals("ok") && !status.equals("error")) {
      throw new IllegalArgumentException("status must be ok or error");
    }
  }

  /** No filter, the first page. */
  public static TraceFilter all() {
    return new TraceFilter(null, null, null, null, null, null, null, null, null, DEFAULT_LIMIT, 0);
  }
}
