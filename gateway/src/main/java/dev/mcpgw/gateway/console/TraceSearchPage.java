package dev.mcpgw.gateway.console;

import dev.mcpgw.gateway.auth.Caller;
import dev.mcpgw.gateway.spanstore.SpanQueries;
import dev.mcpgw.gateway.spanstore.TraceFilter;
import dev.mcpgw.gateway.spanstore.TraceSummary;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** Trace search: every filter of {@code /observability/traces}, request id first, and the matching traces. */
final class TraceSearchPage {
  private static final String[][] FIELDS = {
      {"requestId", "Request id"}, {"traceId", "Trace id"}, {"user", "User"}, {"tenant", "Tenant"}, {"tool", "Tool"},
      {"minDurationMs", "Min duration (ms)"}, {"from", "From (ISO-8601)"}, {"to", "To (ISO-8601)"}};

  private TraceSearchPage() {}

  static Html body(Function<String, String> param, SpanQueries queries, Caller caller) {
    Html h = new Html();
    h.raw("<form class=\"search\" method=\"get\" action=\"/console/traces\">");
    for (String[] f : FIELDS) {
      h.raw("<label>").text(f[1]).raw("<input").attr("name", f[0]).attr("id", "q-" + f[0])
          .attr("value", param.apply(f[0])).raw("></label>");
    }
    String status = param.apply("status");
    h.raw("<label>Status<select name=\"status\" id=\"q-status\">");
    for (String s : new String[] {"", "ok", "error"}) {
      h.raw("<option").attr("value", s);
      if (s.equals(status == null ? "" : status)) {
        h.raw(" selected");
      }
      h.raw(">").text(s.isEmpty() ? "any" : s).raw("</option>");
    }
    h.raw("</select></label><button type=\"submit\" id=\"search\">Search</button></form>");
    if (queries == null) {
      return h.raw("<p class=\"note\">The span store is off (<code>MCPGW_SPAN_STORE=false</code>): no traces are "
          + "stored.</p>");
    }
    TraceFilter filter;
    try {
      filter = TraceFilters.from(param);
    } catch (TraceFilters.BadParameter e) {
      return h.raw("<p class=\"error\" role=\"alert\">").text(e.getMessage()).raw("</p>");
    }
    SpanQueries.Page page = queries.traces(filter, caller);
    if (page.traces().isEmpty()) {
      return h.raw("<p class=\"note\" id=\"no-traces\">No trace matches.</p>");
    }
    h.raw("<table class=\"traces\" id=\"traces\"><thead><tr><th>Start</th><th>Trace</th><th>Status</th>"
        + "<th>Duration</th><th>Request id</th><th>User</th><th>Tenant</th><th>Tool</th><th>Spans</th></tr></thead>"
        + "<tbody>");
    for (TraceSummary t : page.traces()) {
      h.raw("<tr").attr("class", t.status()).attr("data-trace", t.traceId()).raw(">")
          .raw("<td>").text(t.start()).raw("</td>")
          .raw("<td><a").attr("href", "/console/traces/" + t.traceId()).raw(">").text(t.name()).raw("</a></td>")
          .raw("<td>").text(t.status()).raw("</td>")
          .raw("<td class=\"num\">").text(String.format("%.1f ms", t.durationMs())).raw("</td>")
          .el("td", t.requestId()).el("td", t.user()).el("td", t.tenant()).el("td", t.tool())
          .raw("<td class=\"num\">").text(t.spanCount()).raw("</td></tr>");
    }
    h.raw("</tbody></table>");
    if (page.more()) {
      Map<String, String> next = new LinkedHashMap<>();
      for (String[] f : FIELDS) {
        if (param.apply(f[0]) != null) {
          next.put(f[0], param.apply(f[0]));
        }
      }
      if (status != null) {
        next.put("status", status);
      }
      next.put("limit", Integer.toString(filter.limit()));
      next.put("offset", Integer.toString(filter.offset() + filter.limit()));
      StringBuilder q = new StringBuilder();
      next.forEach((k, v) -> q.append(q.length() == 0 ? "?" : "&").append(k).append('=').append(Html.query(v)));
      h.raw("<p><a id=\"next-page\"").attr("href", "/console/traces" + q).raw(">Older traces</a></p>");
    }
    return h;
  }
}
