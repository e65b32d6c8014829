package dev.mcpgw.gateway.spanstore;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The spans of one trace and tenant that one write batch holds and their contribution to the trace's line in
 * {@code span_traces}: the line itself when the trace has none yet, else a row of {@code span_chunks} merged into the
 * line by the writer's upsert (ADR 0034).
 *
 * @param tenantKey the tenant, or {@code ""} for none
 * @param nameOrder the start of the span whose name the line takes, minus 2^62 when it is a root: lower wins
 * @param requestId the first request id of the chunk, shown on the trace's line
 * @param calls the stats lines of the chunk's SERVER (tool, method) and CLIENT (upstream) spans
 * @param requests the chunk's spans that carry a request id (the gateway's SERVER spans), the first of each request
 *     id (a call's HTTP and MCP spans carry the same one), the first of them carrying {@code requestId}: a row of
 *     {@code span_requests} each (but the first, when the chunk makes the line), so that every call of a trace is
 *     found
 */
record TraceChunk(String traceId, String tenantKey, long startNs, long endNs, boolean failed, String name,
    long nameOrder, String requestId, String userId, String toolName, List<FinishedSpan> spans, String calls,
    List<FinishedSpan> requests) {
  static final long ROOT_BIAS = 1L << 62;
  /**
   * Beyond this many characters of {@code calls} a trace's line takes no more (its later calls are not in
   * {@code /observability/stats}): the bound on one line that one client can grow by reusing its trace id.
   */
  static final int MAX_CALLS = 65_536;
  /** Up to this many spans a chunk finds duplicate spans and request ids by a scan, beyond by hash sets. */
  private static final int SMALL = 16;

  /** A chunk of {@code rows} (one trace, one tenant, not empty), a span id seen twice kept once. */
  static TraceChunk of(List<FinishedSpan> rows) {
    Set<String> seen = rows.size() > SMALL ? new HashSet<>() : null;
    List<FinishedSpan> spans = new java.util.ArrayList<>(rows.size());
    long start = Long.MAX_VALUE;
    long end = Long.MIN_VALUE;
    boolean failed = false;
    String name = null;
    long nameOrder = Long.MAX_VALUE;
    String request = null;
    String user = null;
    String tool = null;
    StringBuilder calls = new StringBuilder();
    List<FinishedSpan> requests = new java.util.ArrayList<>(2);
    Set<String> requestIds = rows.size() > SMALL ? new HashSet<>() : null;
    for (FinishedSpan r : rows) {
      if (seen != null ? !seen.add(r.spanId()) : contains(spans, r.spanId())) {
        continue;
      }
      spans.add(r);
      start = Math.min(start, r.startNs());
      end = Math.max(end, r.startNs() + r.durationNs());
      failed |= r.failed();
      long order = r.parentSpanId() == null ? r.startNs() - ROOT_BIAS : r.startNs();
      if (order < nameOrder) {
        nameOrder = order;
        name = r.name();
      }
      request = request == null ? r.requestId() : request;
      user = user == null ? r.userId() : user;
      tool = tool == null ? r.toolName() : tool;
      if (r.requestId() != null
          && (requestIds != null ? requestIds.add(r.requestId()) : !hasRequest(requests, r.requestId()))) {
        requests.add(r);
      }
      if ("SERVER".equals(r.kind())) {
        call(calls, 'T', r.toolName(), r);
        call(calls, 'M', r.method(), r);
      } else if ("CLIENT".equals(r.kind())) {
        call(calls, 'U', r.upstream(), r);
      }
    }
    FinishedSpan first = rows.get(0);
    return new TraceChunk(first.traceId(), first.tenantKey(), start, end, failed, name,
        nameOrder, request, user, tool, List.copyOf(spans), calls.toString(),
        List.copyOf(requests));
  }

  /** Whether {@code spans} has a span {@code id}: a scan, cheaper than hashing for the few spans of most chunks. */
  private static boolean contains(List<FinishedSpan> spans, String id) {
    for (int i = 0; i < spans.size(); i++) {
      if (spans.get(i).spanId().equals(id)) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code requests} has one with {@code id}: a chunk holds few calls. */
  private static boolean hasRequest(List<FinishedSpan> requests, String id) {
    for (int i = 0; i < requests.size(); i++) {
      if (requests.get(i).requestId().equals(id)) {
        return true;
      }
    }
    return false;
  }

  private static void call(StringBuilder calls, char kind, String key, FinishedSpan r) {
    if (key == null) {
      return;
    }
    calls.append(kind).append('\t');
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      calls.append(c == '\t' || c == '\n' ? ' ' : c);
    }
    calls.append('\t').append(r.startNs()).append('\t').append(r.durationNs()).append('\t')
        .append(r.failed() ? '1' : '0').append('\n');
  }
}
