package dev.mcpgw.gateway.console;

import dev.mcpgw.gateway.spanstore.SpanRow;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A trace's spans as a tree in display order (depth first, children by start time) with the critical path: from the
 * longest root, at each step the child that ends last.
 */
final class Waterfall {
  record Line(SpanRow span, int depth, boolean hasChildren, boolean critical) {}

  final List<Line> lines = new ArrayList<>();
  final long start;
  final long end;

  Waterfall(List<SpanRow> spans) {
    Map<String, SpanRow> byId = new LinkedHashMap<>();
    spans.forEach(s -> byId.put(s.spanId(), s));
    Map<String, List<SpanRow>> children = new HashMap<>();
    List<SpanRow> roots = new ArrayList<>();
    for (SpanRow s : spans) {
      if (s.parentSpanId() != null && byId.containsKey(s.parentSpanId()) && !s.parentSpanId().equals(s.spanId())) {
        children.computeIfAbsent(s.parentSpanId(), k -> new ArrayList<>()).add(s);
      } else {
        roots.add(s);
      }
    }
    Comparator<SpanRow> byStart = Comparator.comparingLong(SpanRow::startNs)
        .thenComparing(Comparator.comparingLong(SpanRow::durationNs).reversed());
    roots.sort(byStart);
    children.values().forEach(c -> c.sort(byStart));
    start = spans.stream().mapToLong(SpanRow::startNs).min().orElse(0);
    end = spans.stream().mapToLong(s -> s.startNs() + s.durationNs()).max().orElse(start);

    Set<String> critical = new HashSet<>();
    SpanRow node = roots.stream().max(Comparator.comparingLong(SpanRow::durationNs)).orElse(null);
    while (node != null && critical.add(node.spanId())) {
      node = children.getOrDefault(node.spanId(), List.of()).stream()
          .max(Comparator.comparingLong(s -> s.startNs() + s.durationNs())).orElse(null);
    }
    Set<String> seen = new HashSet<>();
    for (SpanRow r : roots) {
      walk(r, 0, children, critical, seen);
    }
  }

  private void walk(SpanRow s, int depth, Map<String, List<SpanRow>> children, Set<String> critical, Set<String> seen) {
    if (!seen.add(s.spanId())) {
      return;
    }
    List<SpanRow> kids = children.getOrDefault(s.spanId(), List.of());
    lines.add(new Line(s, depth, !kids.isEmpty(), critical.contains(s.spanId())));
    for (SpanRow k : kids) {
      walk(k, depth + 1, children, critical, seen);
    }
  }

  /** Where a span's bar starts, in percent of the trace. */
  double offsetPercent(SpanRow s) {
    return end == start ? 0 : (s.startNs() - start) * 100.0 / (end - start);
  }

  /** How wide a span's bar is, in percent of the trace (at least a sliver). */
  double widthPercent(SpanRow s) {
    return end == start ? 100 : Math.max(0.3, s.durationNs() * 100.0 / (end - start));
  }
}
