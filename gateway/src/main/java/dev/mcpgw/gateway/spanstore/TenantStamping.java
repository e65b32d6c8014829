package dev.mcpgw.gateway.spanstore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gives every span of a local request tree the tenant of that tree. Only the MCP SERVER span carries
 * {@code tenant.id}; its HTTP parent and its children (lookups, plugins, the forward and the upstream CLIENT span)
 * do not, and they end before it or after it in any order. Rows are held per trace until the trace's local root
 * (a span without a parent in this process) arrives, or for at most {@code hold} nanoseconds; then each span takes
 * its nearest ancestor's tenant, else the tenant of one of its descendants (the HTTP span gets its MCP span's).
 * A span whose chain of ancestors is cut (its parent ends later, as the MCP SERVER span of a tool call does when its
 * tokens are counted after the answer) takes the tenant of the tree's local root, which the HTTP span carries. A span
 * that names its tenant and arrives after its trace was released (that late parent) is written at once; one without
 * a tenant is held like any other (the trace's next tree may be another tenant's, a client reusing a trace id), and
 * takes the trace's first tenant only if its own tree does not give it one. A span whose tree names no tenant keeps
 * none: only platform admins see it. One thread only (the writer's).
 */
final class TenantStamping {
  /** Up to this many spans a tree finds parents by a scan, beyond by a map. */
  private static final int SMALL = 16;
  private final long holdNanos;
  private final int maxHeld;
  private final Map<String, Held> held = new LinkedHashMap<>();
  /** The tenants of the traces released most recently, for their late spans; bounded like the held rows. */
  private final Map<String, String> released;
  private int heldRows;

  private static final class Held {
    final long since;
    final List<FinishedSpan> rows = new ArrayList<>();

    Held(long since) {
      this.since = since;
    }
  }

  TenantStamping(long holdNanos, int maxHeld) {
    this.holdNanos = holdNanos;
    this.maxHeld = maxHeld;
    this.released = new LinkedHashMap<>(16, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
        return size() > maxHeld;
      }
    };
  }

  /** Takes {@code rows} in; returns the rows whose tree is complete (or held too long), stamped. */
  List<FinishedSpan> accept(List<FinishedSpan> rows, long now) {
    List<FinishedSpan> out = new ArrayList<>();
    List<String> complete = new ArrayList<>();
    for (FinishedSpan r : rows) {
      if (r.tenantId() != null && released.containsKey(r.traceId()) && !held.containsKey(r.traceId())) {
        // a late span that names its tenant (the MCP span that ends after its HTTP root): written at once
        out.add(r);
        continue;
      }
      // a span without a tenant waits for its own tree even in a released trace: the trace's next request tree may be
      // another tenant's (a client that reuses a trace id), so the trace's tenant is only the last resort, at release
      held.computeIfAbsent(r.traceId(), t -> new Held(now)).rows.add(r);
      heldRows++;
      if (r.localRoot()) {
        complete.add(r.traceId());
      }
    }
    for (String trace : complete) {
      release(trace, out);
    }
    expire(now, out);
    return out;
  }

  /** Everything still held, stamped as far as it can be (at shutdown). */
  List<FinishedSpan> drain() {
    List<FinishedSpan> out = new ArrayList<>();
    for (String trace : new ArrayList<>(held.keySet())) {
      release(trace, out);
    }
    return out;
  }

  int heldRows() {
    return heldRows;
  }

  private void expire(long now, List<FinishedSpan> out) {
    Iterator<Map.Entry<String, Held>> it = held.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<String, Held> e = it.next();
      if (now - e.getValue().since < holdNanos && heldRows <= maxHeld) {
        break; // insertion order: the rest arrived later
      }
      heldRows -= e.getValue().rows.size();
      out.addAll(remember(e.getKey(), orphans(e.getKey(), stamp(e.getValue().rows))));
      it.remove();
    }
  }

  private void release(String trace, List<FinishedSpan> out) {
    Held h = held.remove(trace);
    if (h != null) {
      heldRows -= h.rows.size();
      out.addAll(remember(trace, orphans(trace, stamp(h.rows))));
    }
  }

  private List<FinishedSpan> remember(String trace, List<FinishedSpan> stamped) {
    String tenant = null;
    for (FinishedSpan r : stamped) {
      if (r.localRoot() && r.tenantId() != null) {
        tenant = r.tenantId();
      }
    }
    released.putIfAbsent(trace, tenant); // the trace's first tenant stays its tenant for late spans (a null is replaced)
    return stamped;
  }

  /**
   * The spans still without a tenant whose parent is not among them (a late child of a tree released before) take
   * the tenant the trace was released with, if any.
   */
  private List<FinishedSpan> orphans(String trace, List<FinishedSpan> stamped) {
    String tenant = released.get(trace);
    if (tenant == null) {
      return stamped;
    }
    Map<String, FinishedSpan> byId = stamped.size() > SMALL ? new HashMap<>() : null;
    if (byId != null) {
      for (FinishedSpan r : stamped) {
        byId.put(r.spanId(), r);
      }
    }
    List<FinishedSpan> out = new ArrayList<>(stamped.size());
    for (FinishedSpan r : stamped) {
      boolean orphan = r.tenantId() == null && !r.localRoot() && parentOf(r, byId, stamped) == null;
      out.add(orphan ? r.withTenant(tenant) : r);
    }
    return out;
  }

  static List<FinishedSpan> stamp(List<FinishedSpan> rows) {
    String only = onlyTenant(rows);
    if (only != null) {
      // most trees: one tenant, which the local root names; every span would take it by the rules below
      List<FinishedSpan> out = new ArrayList<>(rows.size());
      for (FinishedSpan r : rows) {
        out.add(r.tenantId() == null ? r.withTenant(only) : r);
      }
      return out;
    }
    // a few spans (most trees): parents found by a scan, cheaper than hashing them
    Map<String, FinishedSpan> byId = rows.size() > SMALL ? new HashMap<>() : null;
    if (byId != null) {
      for (FinishedSpan r : rows) {
        byId.put(r.spanId(), r);
      }
    }
    // a descendant's tenant for each ancestor: walk up from every span that names one
    Map<String, String> fromBelow = new HashMap<>();
    for (FinishedSpan r : rows) {
      if (r.tenantId() != null) {
        FinishedSpan p = parentOf(r, byId, rows);
        int guard = 0;
        while (p != null && guard++ < 1_000) {
          fromBelow.putIfAbsent(p.spanId(), r.tenantId());
          p = parentOf(p, byId, rows);
        }
      }
    }
    String rootTenant = null;
    for (FinishedSpan r : rows) {
      if (r.localRoot() && r.tenantId() != null) {
        rootTenant = r.tenantId();
      }
    }
    List<FinishedSpan> out = new ArrayList<>(rows.size());
    for (FinishedSpan r : rows) {
      String tenant = r.tenantId();
      FinishedSpan p = parentOf(r, byId, rows);
      int guard = 0;
      while (tenant == null && p != null && guard++ < 1_000) {
        tenant = p.tenantId();
        p = parentOf(p, byId, rows);
      }
      if (tenant == null) {
        tenant = fromBelow.get(r.spanId());
      }
      if (tenant == null) {
        tenant = rootTenant;
      }
      out.add(tenant == null || tenant.equals(r.tenantId()) ? r : r.withTenant(tenant));
    }
    return out;
  }

  /** The one tenant that {@code rows} name, when a local root among them names it; else null. */
  private static String onlyTenant(List<FinishedSpan> rows) {
    String tenant = null;
    boolean rootNamesIt = false;
    for (int i = 0; i < rows.size(); i++) {
      FinishedSpan r = rows.get(i);
      String t = r.tenantId();
      if (t == null) {
        continue;
      }
      if (tenant == null) {
        tenant = t;
      } else if (!tenant.equals(t)) {
        return null;
      }
      rootNamesIt |= r.localRoot();
    }
    return rootNamesIt ? tenant : null;
  }

  private static FinishedSpan parentOf(FinishedSpan r, Map<String, FinishedSpan> byId, List<FinishedSpan> rows) {
    if (r.localRoot() || r.parentSpanId() == null) {
      return null;
    }
    if (byId != null) {
      return byId.get(r.parentSpanId());
    }
    FinishedSpan found = null;
    for (int i = 0; i < rows.size(); i++) {
      if (rows.get(i).spanId().equals(r.parentSpanId())) {
        found = rows.get(i); // the last one, as the map's put would keep
      }
    }
    return found;
  }
}
