package dev.mcpgw.gateway.console;

import dev.mcpgw.gateway.auth.Caller;
import dev.mcpgw.gateway.federation.GatewayView;
import dev.mcpgw.gateway.spanstore.GroupStats;
import dev.mcpgw.gateway.spanstore.SpanQueries;
import dev.mcpgw.gateway.spanstore.SpanStoreStats;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The overview: calls, error rate and latency per tool and per upstream over the last hour (from the span store),
 * upstream health and circuit states, and, for a platform admin, the span store's export health.
 */
final class OverviewPage {
  static final Duration WINDOW = Duration.ofHours(1);

  private OverviewPage() {}

  static Html body(SpanQueries queries, SpanStoreStats store, List<GatewayView> upstreams, Caller caller) {
    Html h = new Html();
    if (queries == null) {
      h.raw("<p class=\"note\">The span store is off (<code>MCPGW_SPAN_STORE=false</code>): no call statistics.</p>");
    } else {
      h.raw("<section><h2>Tools, last hour</h2>");
      stats(h, "tool-stats", "Tool", queries.stats(SpanQueries.GroupBy.TOOL, WINDOW, caller));
      h.raw("</section><section><h2>Upstreams, last hour</h2>");
      stats(h, "upstream-stats", "Upstream", queries.stats(SpanQueries.GroupBy.UPSTREAM, WINDOW, caller));
      h.raw("</section>");
    }
    h.raw("<section><h2>Upstream health</h2>");
    if (upstreams.isEmpty()) {
      h.raw("<p class=\"note\">No upstream is registered that you can see.</p>");
    } else {
      h.raw("<table id=\"upstream-health\"><thead><tr><th>Upstream</th><th>Status</th><th>Connected</th>"
          + "<th>Circuit</th><th>Last checked</th></tr></thead><tbody>");
      for (GatewayView g : upstreams) {
        GatewayView.Health health = g.health();
        h.raw("<tr").attr("class", "healthy".equals(g.status()) ? "ok" : "error").raw(">").el("td", g.name())
            .el("td", g.status()).el("td", health == null ? "" : health.connected() ? "yes" : "no")
            .el("td", health == null ? "" : health.circuitState())
            .el("td", health == null || health.lastCheckedAt() == null ? "" : health.lastCheckedAt()).raw("</tr>");
      }
      h.raw("</tbody></table>");
    }
    h.raw("</section>");
    if (caller.platformAdmin()) {
      h.raw("<section><h2>Span store</h2><table id=\"store-health\"><tbody>");
      row(h, "enabled", store.enabled());
      row(h, "queued / capacity", store.queued() + " / " + store.queueCapacity());
      row(h, "written", store.written());
      row(h, "dropped (queue full or write failed)", store.dropped());
      row(h, "pruned by retention", store.pruned());
      row(h, "held until their request ends", store.held());
      h.raw("</tbody></table><p class=\"note\">Export to external backends (OTLP, Zipkin) is reported by the "
          + "<code>/metrics</code> counters of the export pipeline.</p></section>");
    }
    return h;
  }

  private static void row(Html h, String name, Object value) {
    h.raw("<tr><th>").text(name).raw("</th><td>").text(value).raw("</td></tr>");
  }

  private static void stats(Html h, String id, String keyName, List<GroupStats> groups) {
    if (groups.isEmpty()) {
      h.raw("<p class=\"note\">No calls in the last hour.</p>");
      return;
    }
    h.raw("<table").attr("id", id).raw("><thead><tr><th>").text(keyName).raw("</th><th>Calls</th><th>Errors</th>"
        + "<th>Error rate</th><th>p50</th><th>p95</th><th>p99</th></tr></thead><tbody>");
    for (GroupStats g : groups) {
      h.raw("<tr").attr("class", g.errors() > 0 ? "error" : "ok").raw(">").el("td", g.key())
          .raw("<td class=\"num\">").text(g.calls()).raw("</td><td class=\"num\">").text(g.errors())
          .raw("</td><td class=\"num\">").text(String.format(Locale.ROOT, "%.1f %%", g.errorRate() * 100))
          .raw("</td><td class=\"num\">").text(String.format(Locale.ROOT, "%.1f ms", g.p50Ms()))
          .raw("</td><td class=\"num\">").text(String.format(Locale.ROOT, "%.1f ms", g.p95Ms()))
          .raw("</td><td class=\"num\">").text(String.format(Locale.ROOT, "%.1f ms", g.p99Ms())).raw("</td></tr>");
    }
    h.raw("</tbody></table>");
  }
}
