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
  private static final DateTimeFormatter MM_DD = DateTimeFormatter.ofPattern("MM-dd HH:mm", Locale.ROOT)
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
    String title = m == Measure.CALLS && !lines.isEmpty() ? m.title + " per " + per(lines.get(0).bucket()) : m.title;
    List<Line> plotted = lines.stream().map(s -> {
      int n = s.buckets().size();
      double[] values = new double[n];
      boolean[] busy = new boolean[n];
      for (int i = 0; i < n; i++) {
        GroupStats b = s.buckets().get(i);
        values[i] = m.value.applyAsDouble(b);
        busy[i] = b.calls() > 0;
      }
      return new Line(s.total().key(), s.start(), s.bucket(), values, busy);
    }).toList();
    chart(h, id, title, m.title, m.gapWhenIdle, v -> label(v, m.unit), plotted);
  }

  /**
   * One line of a chart: {@code values[i]} is bucket {@code i}'s (starting at {@code start + i * bucket});
   * {@code busy[i]} whether it had calls (a point with a tooltip; without, a gap or a zero).
   */
  record Line(String key, Instant start, java.time.Duration bucket, double[] values, boolean[] busy) {}

  /**
   * A chart of {@code lines} (the first {@link #MAX_LINES} are drawn by the caller's choice) with {@code title},
   * values written by {@code format}; with {@code gapWhenIdle} a bucket without calls is a gap, else a zero.
   */
  static void chart(Html h, String id, String title, String label, boolean gapWhenIdle,
      java.util.function.DoubleFunction<String> format, List<Line> lines) {
    double max = 0;
    for (Line s : lines) {
      for (int i = 0; i < s.values().length; i++) {
        if (s.busy()[i] || !gapWhenIdle) {
          max = Math.max(max, s.values()[i]);
        }
      }
    }
    double top = niceCeiling(max);
    h.raw("<figure class=\"chart\"><figcaption>").text(title).raw("</figcaption>")
        .raw("<svg").attr("id", id).attr("viewBox", "0 0 " + WIDTH + " " + HEIGHT).attr("role", "img")
        .attr("aria-label", label).raw(">");
    h.raw("<line class=\"axis\"").attr("x1", LEFT).attr("y1", BOTTOM).attr("x2", RIGHT).attr("y2", BOTTOM).raw("/>")
        .raw("<line class=\"grid\"").attr("x1", LEFT).attr("y1", TOP).attr("x2", RIGHT).attr("y2", TOP).raw("/>")
        .raw("<text class=\"tick\"").attr("x", LEFT - 6).attr("y", TOP + 4).attr("text-anchor", "end").raw(">")
        .text(format.apply(top)).raw("</text>")
        .raw("<text class=\"tick\"").attr("x", LEFT - 6).attr("y", BOTTOM + 4).attr("text-anchor", "end").raw(">")
        .text(format.apply(0)).raw("</text>");
    // a chart over more than a day names the day too
    DateTimeFormatter f = lines.isEmpty() || lines.get(0).bucket().multipliedBy(lines.get(0).values().length)
        .compareTo(java.time.Duration.ofDays(1)) <= 0 ? HH_MM : MM_DD;
    if (!lines.isEmpty()) {
      Line first = lines.get(0);
      int n = first.values().length;
      Instant end = first.start().plus(first.bucket().multipliedBy(n));
      h.raw("<text class=\"tick\"").attr("x", LEFT).attr("y", HEIGHT - 10).raw(">")
          .text(f.format(first.start())).raw("</text>")
          .raw("<text class=\"tick\"").attr("x", RIGHT).attr("y", HEIGHT - 10).attr("text-anchor", "end").raw(">")
          .text(f.format(end) + " UTC").raw("</text>");
    }
    for (int i = 0; i < lines.size(); i++) {
      line(h, "series-" + i, lines.get(i), gapWhenIdle, format, f, top);
    }
    h.raw("</svg></figure>");
  }

  private static void line(Html h, String cls, Line s, boolean gapWhenIdle,
      java.util.function.DoubleFunction<String> format, DateTimeFormatter f, double top) {
    int n = s.values().length;
    StringBuilder points = new StringBuilder();
    StringBuilder dots = new StringBuilder();
    Html out = new Html();
    for (int i = 0; i < n; i++) {
      if (gapWhenIdle && !s.busy()[i]) {
        segment(out, cls, points);
        continue;
      }
      double v = s.values()[i];
      String x = coord(LEFT + (n == 1 ? 0 : (RIGHT - LEFT) * (double) i / (n - 1)));
      String y = coord(BOTTOM - (top == 0 ? 0 : (BOTTOM - TOP) * v / top));
      points.append(x).append(',').append(y).append(' ');
      if (s.busy()[i]) {
        Html dot = new Html().raw("<circle").attr("class", cls).attr("cx", x).attr("cy", y).attr("r", 2).raw("><title>")
            .text(s.key() + " · " + f.format(s.start().plus(s.bucket().multipliedBy(i))) + " · "
                + format.apply(v))
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

  static String per(java.time.Duration bucket) {
    if (bucket.equals(java.time.Duration.ofMinutes(1))) {
      return "minute";
    }
    if (bucket.equals(java.time.Duration.ofHours(1))) {
      return "hour";
    }
    if (bucket.equals(java.time.Duration.ofDays(1))) {
      return "day";
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
