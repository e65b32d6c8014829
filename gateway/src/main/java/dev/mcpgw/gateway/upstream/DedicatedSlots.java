package dev.mcpgw.gateway.upstream;

import java.util.HashMap;
import java.util.Map;

/** The dedicated sessions open at one upstream, counted in all and per owner (a user of a tenant). */
final class DedicatedSlots {
  private final Map<String, Integer> perOwner = new HashMap<>();
  private int total;

  /**
   * Takes a slot when both bounds allow it.
   *
   * @return {@code null} when taken, else why not (for the log; it names no user)
   */
  synchronized String acquire(String owner, int maxTotal, int maxPerOwner) {
    if (total >= maxTotal) {
      return "every one of its " + maxTotal + " sessions for single clients is taken";
    }
    if (owner != null && perOwner.getOrDefault(owner, 0) >= maxPerOwner) {
      return "the user already holds " + maxPerOwner + " sessions of their own there";
    }
    total++;
    if (owner != null) {
      perOwner.merge(owner, 1, Integer::sum);
    }
    return null;
  }

  synchronized void release(String owner) {
    total = Math.max(0, total - 1);
    if (owner != null) {
      perOwner.computeIfPresent(owner, (o, n) -> n <= 1 ? null : n - 1);
    }
  }

  synchronized int open() {
    return total;
  }
}
