package dev.mcpgw.gateway.console;

import dev.mcpgw.gateway.auth.Caller;
import dev.mcpgw.gateway.federation.GatewayView;
import dev.mcpgw.gateway.spanstore.GroupSeries;
import dev.mcpgw.gateway.spanstore.GroupStats;
import dev.mcpgw.gateway.spanstore.SpanQueries;
import dev.mcpgw.gateway.spanstore.SpanStoreStats;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The overview: calls, error rate and latency per tool and per upstream over the last hour, as charts per minute and
 * as totals (from the span store), upstream health and circuit states, and, for a platform admin, the span store's
 * health and the export pipeline's (queue, drops, circuit, disk buffer).
 */
final class OverviewPage {
  static final Duration WINDOW = Duration.ofHours(1);
  static final Duration BUCKET = Duration.ofMinutes(1);

  private OverviewPage() {}

  static Html body(SpanQueries queries, SpanStoreStats store, List<GatewayView> upstreams, Caller caller,
      ExportHealth export) {
    Html h = new Html();
    if (queries == null) {
      h.raw("<p class=\"note\">The span store is off (<code>MCPGW_SPAN_STORE=false</code>): no call statistics.</p>");
    } else {
      h.raw("<section><h2>Tools, last hour</h2>");
      List<GroupSeries> tools = queries.series(SpanQueries.GroupBy.TOOL, WINDOW, BUCKET, caller);
      if (!tools.isEmpty()) {
        Charts.panel(h, "tool-charts", tools);
      }
      stats(h, "tool-stats", "Tool", tools.stream().map(GroupSeries::total).toList());
      h.raw("</section><section><h2>Upstreams, last hour</h2>");
      List<GroupSeries> upstreamSeries = queries.series(SpanQueries.GroupBy.UPSTREAM, WINDOW, BUCKET, caller);
      if (!upstreamSeries.isEmpty()) {
        Charts.panel(h, "upstream-charts", upstreamSeries);
      }
      stats(h, "upstream-stats", "Upstream", upstreamSeries.stream().map(GroupSeries::total).toList());
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
      h.raw("</tbody></table></section>");
      export(h, export.available() ? export.read() : null);
    }
    return h;
  }

  private static void export(Html h, ExportHealth.Snapshot export) {
    h.raw("<section><h2>Span export</h2>");
    if (export == null) {
      h.raw("<p class=\"note\">The export pipeline's numbers are not served here: with "
          + "<code>OTEL_METRICS_EXPORTER=otlp</code> they are in the metrics backend.</p></section>");
      return;
    }
    h.raw("<table id=\"export-health\"><thead><tr><th>Exporter</th><th>Exported</th><th>Buffered to disk</th>"
        + "<th>Replayed</th><th>Dropped</th><th>Circuit</th><th>Disk buffer</th></tr></thead><tbody>");
    export.exporters().forEach((name, e) -> h.raw("<tr").attr("class",
            e.dropped() > 0 || "open".equals(e.circuit()) ? "error" : "ok").raw(">").el("td", name)
        .raw("<td class=\"num\">").text(e.exported()).raw("</td><td class=\"num\">").text(e.buffered())
        .raw("</td><td class=\"num\">").text(e.replayed()).raw("</td><td class=\"num\">").text(e.dropped())
        .raw("</td>").el("td", e.circuit()).raw("<td class=\"num\">")
        .text(String.format(Locale.ROOT, "%.1f KiB", e.bufferBytes() / 1024.0)).raw("</td></tr>"));
    h.raw("<tr><td>batch queue</td><td class=\"num\" colspan=\"3\">").text(export.queued() + " queued")
        .raw("</td><td class=\"num\">").text(export.queueDropped()).raw("</td><td></td><td></td></tr>");
    h.raw("</tbody></table>");
    if (export.exporters().isEmpty()) {
      h.raw("<p class=\"note\">No exporter with resilient export is configured (<code>OTEL_TRACES_EXPORTER</code>)."
          + "</p>");
    }
    h.raw("</section>");
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
