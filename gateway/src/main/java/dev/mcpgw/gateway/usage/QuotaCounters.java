package dev.mcpgw.gateway.usage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * What each quota's current window has used, kept in memory so that admission is a map lookup and a few additions:
 * the figure persisted in the usage store (re-read after each flush, so it includes every instance's flushed usage),
 * plus what this instance accounted since that read, plus (for {@code calls}) the calls admitted and not yet
 * accounted. Tenants without quotas cost one map lookup.
 */
final class QuotaCounters {

  /** One quota's figures for one window; replaced whole at each refresh. */
  private record Figures(long windowStart, double persisted, DoubleAdder local) {}

  static final class Counter {
    final Quota quota;
    /** Calls admitted and not yet accounted (calls quotas only). */
    final AtomicLong inFlight = new AtomicLong();
    private volatile Figures figures;

    Counter(Quota quota, long windowStart) {
      this.quota = quota;
      this.figures = new Figures(windowStart, 0, new DoubleAdder());
    }

    /** Whether its figures are those of the window {@code now} is in. */
    boolean current(Instant now) {
      return figures.windowStart() == quota.window().start(now).toEpochMilli();
    }

    double used(Instant now) {
      Figures f = figures;
      double pending = quota.metric() == Quota.Metric.CALLS ? Math.max(0, inFlight.get()) : 0;
      return f.windowStart() == quota.window().start(now).toEpochMilli()
          ? f.persisted() + f.local().sum() + pending : pending;
    }
  }

  private volatile Map<String, List<Counter>> byTenant = Map.of();

  /** The counters of {@code tenant}'s quotas (empty when it has none). */
  List<Counter> of(String tenant) {
    return byTenant.getOrDefault(tenant, List.of());
  }

  List<Counter> all() {
    return byTenant.values().stream().flatMap(List::stream).toList();
  }

  /** Replaces the set of quotas, keeping the counters of those that stay. */
  synchronized void replace(List<Quota> quotas, Instant now) {
    Map<String, Counter> old = new HashMap<>();
    byTenant.values().forEach(list -> list.forEach(c -> old.put(c.quota.id(), c)));
    Map<String, List<Counter>> next = new HashMap<>();
    for (Quota q : quotas) {
      Counter c = old.get(q.id());
      if (c == null || !c.quota.equals(q)) {
        c = new Counter(q, -1);
      }
      next.computeIfAbsent(q.tenant(), t -> new ArrayList<>()).add(c);
    }
    next.replaceAll((t, list) -> List.copyOf(list));
    byTenant = Map.copyOf(next);
  }

  /** Sets a counter's persisted figure for the window {@code now} is in and restarts its local count. */
  static void refreshed(Counter c, double persisted, Instant now) {
    c.figures = new Figures(c.quota.window().start(now).toEpochMilli(), persisted, new DoubleAdder());
  }

  /** Adds an accounted call to the counters that cover it. */
  void accounted(Accounted a, boolean admittedAsCall) {
    for (Counter c : of(a.tenant())) {
      if (!c.quota.covers(a.tenant(), a.user())) {
        continue;
      }
      Figures f = c.figures;
      if (f.windowStart() != c.quota.window().start(Instant.ofEpochMilli(a.endedAtMillis())).toEpochMilli()) {
        // not yet refreshed for this window: the next refresh reads the call from the store
        if (c.quota.metric() == Quota.Metric.CALLS && admittedAsCall) {
          c.inFlight.decrementAndGet();
        }
        continue;
      }
      switch (c.quota.metric()) {
        case CALLS -> {
          f.local().add(1);
          if (admittedAsCall) {
            c.inFlight.decrementAndGet();
          }
        }
        case TOKENS -> f.local().add(a.tokens());
        case COST -> f.local().add(a.cost());
      }
    }
  }

  /** A call that will never be accounted (its event was dropped): it stops being in flight. */
  void abandoned(String tenant, String user) {
    for (Counter c : of(tenant)) {
      if (c.quota.metric() == Quota.Metric.CALLS && c.quota.covers(tenant, user)) {
        c.inFlight.decrementAndGet();
      }
    }
  }

  /**
   * Admits a call of {@code user} of {@code tenant}, counting it against every {@code calls} quota that covers it, or
   * answers the first quota it would exceed (counting nothing).
   */
  QuotaExceeded admit(String tenant, String user, Instant now) {
    List<Counter> counters = of(tenant);
    if (counters.isEmpty()) {
      return null;
    }
    synchronized (counters) {
      for (Counter c : counters) {
        if (!c.quota.covers(tenant, user)) {
          continue;
        }
        double used = c.used(now);
        boolean over = c.quota.metric() == Quota.Metric.CALLS ? used + 1 > c.quota.limit() : used >= c.quota.limit();
        if (over) {
          return new QuotaExceeded(c.quota, used, c.quota.window().end(now));
        }
      }
      for (Counter c : counters) {
        if (c.quota.metric() == Quota.Metric.CALLS && c.quota.covers(tenant, user)) {
          c.inFlight.incrementAndGet();
        }
      }
    }
    return null;
  }
}
