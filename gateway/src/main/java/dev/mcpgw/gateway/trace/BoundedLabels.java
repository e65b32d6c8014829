package dev.mcpgw.gateway.trace;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps a metric label's cardinality bounded: the first {@code limit} distinct values seen since start keep their
 * name, every later one is reported as {@value #OTHER}. Thread-safe; a value seen once keeps its verdict.
 */
final class BoundedLabels {
  static final String OTHER = "_other";
  private final int limit;
  private final Set<String> kept = ConcurrentHashMap.newKeySet();

  BoundedLabels(int limit) {
    this.limit = limit;
  }

  String of(String value) {
    if (value == null) {
      return OTHER;
    }
    if (kept.contains(value)) {
      return value;
    }
    synchronized (kept) {
      if (kept.size() < limit) {
        kept.add(value);
        return value;
      }
    }
    return OTHER;
  }
}
