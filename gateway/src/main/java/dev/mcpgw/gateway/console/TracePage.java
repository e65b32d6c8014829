package dev.mcpgw.gateway.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgw.gateway.spanstore.SpanRow;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One trace: a collapsible waterfall with timing bars, each span's attributes and events, errors highlighted, the
 * critical path marked, and "copy as OTLP JSON". Bars are SVG rectangles (no inline style, so the CSP holds).
 */
final class TracePage {
  private TracePage() {}

  /** The host (and port) of an http(s) URL, for the link's text. */
  static String host(String url) {
    String rest = url.substring(url.indexOf("://") + 3);
    int end = rest.length();
    for (char c : new char[] {'/', '?', '#'}) {
      int i = rest.indexOf(c);
      if (i >= 0 && i < end) {
        end = i;
      }
    }
    String authority = rest.substring(0, end);
    return authority.substring(authority.lastIndexOf('@') + 1);
  }

  /**
   * The trace's page, with a link to the trace in an external backend when {@code linkTemplate} is set
   * ({@code {traceId}} replaced by the trace id, 32 hex digits; the whole URL written as an escaped attribute).
   */
  static Html body(String traceId, List<SpanRow> spans, String linkTemplate) {
    Waterfall w = new Waterfall(spans);
    Html h = new Html();
    String otlp = "/observability/traces/" + traceId + "?format=otlp";
    h.raw("<section class=\"trace-head\"><dl>")
        .raw("<dt>Trace</dt><dd><code id=\"trace-id\">").text(traceId).raw("</code></dd>")
        .raw("<dt>Start</dt><dd>").text(Times.iso(w.start)).raw("</dd>")
        .raw("<dt>Duration</dt><dd>").text(ms(w.end - w.start)).raw("</dd>")
        .raw("<dt>Spans</dt><dd id=\"span-count\">").text(spans.size()).raw("</dd></dl>")
        .raw("<p><button type=\"button\" id=\"copy-otlp\"").attr("data-url", otlp).raw(">Copy as OTLP JSON</button> ")
        .raw("<a id=\"otlp-link\"").attr("href", otlp).raw(">OTLP JSON</a> ");
    if (linkTemplate != null) {
      String url = linkTemplate.replace("{traceId}", traceId);
      h.raw("<a id=\"backend-link\" rel=\"noopener noreferrer\" target=\"_blank\"").attr("href", url).raw(">")
          .text("Open in " + host(url)).raw("</a> ");
    }
    h
        .raw("<button type=\"button\" id=\"expand-all\">Expand all</button> ")
        .raw("<button type=\"button\" id=\"collapse-all\">Collapse all</button> ")
        .raw("<span class=\"legend\"><span class=\"swatch critical\"></span>critical path ")
        .raw("<span class=\"swatch error\"></span>error</span></p></section>");
    h.raw("<table class=\"waterfall\" id=\"waterfall\"><thead><tr><th>Span</th><th class=\"bar\">Timeline</th>"
        + "<th>Duration</th></tr></thead><tbody>");
    for (Waterfall.Line line : w.lines) {
      SpanRow s = line.span();
      StringBuilder cls = new StringBuilder("span");
      if (s.failed()) {
        cls.append(" error");
      }
      if (line.critical()) {
        cls.append(" critical");
      }
      h.raw("<tr").attr("class", cls).attr("data-span", s.spanId()).attr("data-parent", s.parentSpanId())
          .attr("data-kind", s.kind()).attr("data-name", s.name()).raw(">");
      h.raw("<td").attr("class", "name d" + Math.min(line.depth(), 15)).raw(">");
      if (line.hasChildren()) {
        h.raw("<button type=\"button\" class=\"toggle\" aria-expanded=\"true\" title=\"collapse\">&#9662;</button>");
      } else {
        h.raw("<span class=\"leaf\"></span>");
      }
      h.raw("<details><summary><span class=\"kind\">").text(s.kind().toLowerCase(Locale.ROOT)).raw("</span> ")
          .raw("<span class=\"span-name\">").text(s.name()).raw("</span></summary>");
      attributes(h, TraceJson.parse(s.attributes(), TraceJson.JSON.createObjectNode()));
      events(h, TraceJson.parse(s.events(), TraceJson.JSON.createArrayNode()), w.start);
      h.raw("<p class=\"ids\">span ").text(s.spanId()).raw(s.service() == null ? "" : " · service ")
          .text(s.service() == null ? "" : s.service()).raw("</p></details></td>");
      h.raw("<td class=\"bar\"><svg viewBox=\"0 0 100 10\" preserveAspectRatio=\"none\" role=\"img\"")
          .attr("aria-label", ms(s.durationNs())).raw("><rect height=\"10\"")
          .attr("x", String.format(Locale.ROOT, "%.3f", w.offsetPercent(s)))
          .attr("width", String.format(Locale.ROOT, "%.3f", w.widthPercent(s))).raw("></rect></svg></td>");
      h.raw("<td class=\"num\">").text(ms(s.durationNs())).raw("</td></tr>");
    }
    return h.raw("</tbody></table>");
  }

  private static void attributes(Html h, JsonNode attributes) {
    if (attributes.isEmpty()) {
      return;
    }
    h.raw("<table class=\"attributes\"><tbody>");
    Iterator<Map.Entry<String, JsonNode>> it = attributes.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      h.raw("<tr><th>").text(e.getKey()).raw("</th><td>")
          .text(e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString()).raw("</td></tr>");
    }
    h.raw("</tbody></table>");
  }

  private static void events(Html h, JsonNode events, long traceStart) {
    if (events.isEmpty()) {
      return;
    }
    h.raw("<ol class=\"events\">");
    for (JsonNode e : events) {
      h.raw("<li><strong>").text(e.path("name").asText()).raw("</strong> at +")
          .text(ms(e.path("timeNs").asLong() - traceStart));
      attributes(h, e.path("attributes"));
      h.raw("</li>");
    }
    h.raw("</ol>");
  }

  static String ms(long nanos) {
    return String.format(Locale.ROOT, "%.2f ms", nanos / 1_000_000.0);
  }
}
