package dev.mcpgw.gateway.trace;

import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The access log ({@code MCPGW_ACCESS_LOG=true}): one INFO line per HTTP request on the logger {@value #LOGGER} with
 * method, route template (never the raw path, which may carry ids or secrets), status, duration, response bytes,
 * and in the MDC the request id, user, tenant, trace and span ids, so that the JSON line carries them as fields.
 */
final class AccessLog implements Consumer<CompletedRequest> {
  static final String LOGGER = "dev.mcpgw.access";
  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

  @Override
  public void accept(CompletedRequest r) {
    if (!LOG.isInfoEnabled()) {
      return;
    }
    // on an SSE stream's completion this runs on another thread: set the ids it would have had
    MdcScope scope = new MdcScope();
    try {
      scope.put("request_id", r.requestId());
      if (r.caller() != null) {
        scope.put("user_id", r.caller().userIdForLog());
        scope.put("tenant_id", r.caller().tenantIdForLog());
      }
      if (r.span().isValid()) {
        scope.put("trace_id", r.span().getTraceId());
        scope.put("span_id", r.span().getSpanId());
      }
      LOG.info("{} {} {} {}ms {}B", r.method(), r.route() == null ? "-" : r.route(), r.status(),
          String.format(java.util.Locale.ROOT, "%.1f", r.nanos() / 1e6), r.bytes());
    } finally {
      scope.close();
    }
  }

  /** MDC entries set for one line, then put back as they were. */
  private static final class MdcScope {
    private final java.util.Map<String, String> before = new java.util.HashMap<>();

    void put(String key, String value) {
      if (value == null) {
        return;
      }
      before.putIfAbsent(key, MDC.get(key));
      MDC.put(key, value);
    }

    void close() {
      before.forEach((k, v) -> {
        if (v == null) {
          MDC.remove(k);
        } else {
          MDC.put(k, v);
        }
      });
    }
  }
}
