package dev.mcpgw.gateway.console;

import dev.mcpgw.gateway.spanstore.GroupSeries;
import dev.mcpgw.gateway.spanstore.GroupStats;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Line charts of bucketed statistics as inline SVG, drawn on the server: no script, no style attribute (the CSP
 * allows neither inline), colours from classes in {@code console.css}. One line per key (the busiest
 * {@link #MAX_LINES}); a bucket without calls is a gap in the error-rate and latency lines, a zero in the calls line.
 * Keys are data from upstreams: they are written as text (legend, tooltips), never as markup.
 */
final class Charts {
  static final int MAX_LINES = 5;
  private static final int WIDTH = 600;
  private static final int HEIGHT = 180;
  private static final int LEFT = 56;
  private static final int RIGHT = 590;
  private static final int TOP = 12;
  private static final int BOTTOM = 150;
  private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT)
      .withZone(ZoneOffset.UTC);

  /** What one chart plots. */
  enum Measure {
    CALLS("Calls", "", false, GroupStats::calls),
    ERROR_RATE("Error rate", "%", true, g -> g.errorRate() * 100),
    P95("Latency p95", "ms", true, GroupStats::p95Ms);

    final String title;
    final String unit;
    final boolean gapWhenIdle;
    final ToDoubleFunction<GroupStats> value;

    Measure(String title, String unit, boolean gapWhenIdle, ToDoubleFunction<GroupStats> value) {
      this.title = title;
      this.unit = unit;
      this.gapWhenIdle = gapWhenIdle;
      this.value = value;
    }
  }

  private Charts() {}

  /** The three charts (calls, error rate, p95) of {@code series} and one legend; {@code id} prefixes their ids. */
  static void panel(Html h, String id, List<GroupSeries> series) {
    List<GroupSeries> lines = series.subList(0, Math.min(MAX_LINES, series.size()));
    h.raw("<div class=\"charts\"").attr("id", id).raw(">");
    for (Measure m : Measure.values()) {
      chart(h, id + "-" + m.name().toLowerCase(Locale.ROOT).replace('_', '-'), m, lines);
    }
    h.raw("</div><p class=\"legend chart-legend\">");
    for (int i = 0; i < lines.size(); i++) {
      h.raw("<span").attr("class", "swatch series-" + i).raw("></span>").text(lines.get(i).total().key());
    }
    if (series.size() > lines.size()) {
      h.raw(" <span class=\"note\">").text("(the " + MAX_LINES + " busiest of " + series.size() + ")")
          .raw("</span>");
    }
    h.raw("</p>");
  }

  static void chart(Html h, String id, Measure m, List<GroupSeries> lines) {
    double max = 0;
    for (GroupSeries s : lines) {
      for (GroupStats b : s.buckets()) {
        if (b.calls() > 0 || !m.gapWhenIdle) {
          max = Math.max(max, m.value.applyAsDouble(b));
        }
      }
    }
    double top = niceCeiling(max);
    String title = m == Measure.CALLS && !lines.isEmpty() ? m.title + " per " + per(lines.get(0).bucket()) : m.title;
    h.raw("<figure class=\"chart\"><figcaption>").text(title).raw("</figcaption>")
        .raw("<svg").attr("id", id).attr("viewBox", "0 0 " + WIDTH + " " + HEIGHT).attr("role", "img")
        .attr("aria-label", m.title).raw(">");
    h.raw("<line class=\"axis\"").attr("x1", LEFT).attr("y1", BOTTOM).attr("x2", RIGHT).attr("y2", BOTTOM).raw("/>")
        .raw("<line class=\"grid\"").attr("x1", LEFT).attr("y1", TOP).attr("x2", RIGHT).attr("y2", TOP).raw("/>")
        .raw("<text class=\"tick\"").attr("x", LEFT - 6).attr("y", TOP + 4).attr("text-anchor", "end").raw(">")
        .text(label(top, m.unit)).raw("</text>")
        .raw("<text class=\"tick\"").attr("x", LEFT - 6).attr("y", BOTTOM + 4).attr("text-anchor", "end").raw(">")
        .text(label(0, m.unit)).raw("</text>");
    if (!lines.isEmpty()) {
      GroupSeries first = lines.get(0);
      int n = first.buckets().size();
      Instant end = first.start().plus(first.bucket().multipliedBy(n));
      h.raw("<text class=\"tick\"").attr("x", LEFT).attr("y", HEIGHT - 10).raw(">")
          .text(HH_MM.format(first.start())).raw("</text>")
          .raw("<text class=\"tick\"").attr("x", RIGHT).attr("y", HEIGHT - 10).attr("text-anchor", "end").raw(">")
          .text(HH_MM.format(end) + " UTC").raw("</text>");
    }
    for (int i = 0; i < lines.size(); i++) {
      line(h, "series-" + i, lines.get(i), m, top);
    }
    h.raw("</svg></figure>");
  }

  private static void line(Html h, String cls, GroupSeries s, Measure m, double top) {
    List<GroupStats> buckets = s.buckets();
    int n = buckets.size();
    StringBuilder points = new StringBuilder();
    StringBuilder dots = new StringBuilder();
    Html out = new Html();
    for (int i = 0; i < n; i++) {
      GroupStats b = buckets.get(i);
      if (m.gapWhenIdle && b.calls() == 0) {
        segment(out, cls, points);
        continue;
      }
      double v = m.value.applyAsDouble(b);
      String x = coord(LEFT + (n == 1 ? 0 : (RIGHT - LEFT) * (double) i / (n - 1)));
      String y = coord(BOTTOM - (top == 0 ? 0 : (BOTTOM - TOP) * v / top));
      points.append(x).append(',').append(y).append(' ');
      if (b.calls() > 0) {
        Html dot = new Html().raw("<circle").attr("class", cls).attr("cx", x).attr("cy", y).attr("r", 2).raw("><title>")
            .text(s.total().key() + " · " + HH_MM.format(s.start().plus(s.bucket().multipliedBy(i))) + " · "
                + label(v, m.unit))
            .raw("</title></circle>");
        dots.append(dot);
      }
    }
    segment(out, cls, points);
    h.raw(out.toString()).raw(dots.toString());
  }

  private static void segment(Html out, String cls, StringBuilder points) {
    if (points.indexOf(" ") != points.lastIndexOf(" ")) {
      out.raw("<polyline").attr("class", cls).attr("points", points.toString().trim()).raw("/>");
    }
    points.setLength(0);
  }

  private static String per(java.time.Duration bucket) {
    if (bucket.equals(java.time.Duration.ofMinutes(1))) {
      return "minute";
    }
    if (bucket.equals(java.time.Duration.ofHours(1))) {
      return "hour";
    }
    return bucket.toString().substring(2).toLowerCase(Locale.ROOT);
  }

  private static String coord(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  /** 1, 2 or 5 times a power of ten, at least {@code v} (1 for nothing). */
  static double niceCeiling(double v) {
    if (v <= 0) {
      return 1;
    }
    double power = Math.pow(10, Math.floor(Math.log10(v)));
    for (double step : new double[] {1, 2, 5, 10}) {
      if (step * power >= v) {
        return step * power;
      }
    }
    return 10 * power;
  }

  private static String label(double v, String unit) {
    String number = v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    return unit.isEmpty() ? number : number + " " + unit;
  }
}
