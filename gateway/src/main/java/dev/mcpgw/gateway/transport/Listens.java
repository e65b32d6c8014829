package dev.mcpgw.gateway.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.catalog.Catalog;
import dev.mcpgw.gateway.catalog.Scope;
import dev.mcpgw.gateway.jsonrpc.JsonRpc;
import dev.mcpgw.gateway.jsonrpc.RpcException;
import dev.mcpgw.gateway.mcp.Exchange;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The {@code subscriptions/listen} streams of stateless clients (revision 2026-07-28): the long-lived channel that
 * replaces a session's GET stream. Each is acknowledged first ({@code notifications/subscriptions/acknowledged},
 * with the notification types the gateway agreed to: of those asked for, the list changes of tools, prompts and
 * resources), then carries only those notifications, each tagged with the subscription's id in
 * {@code _meta["io.modelcontextprotocol/subscriptionId"]}. Changes are found as for sessions (the catalog of the
 * stream's scope compared round by round); a stream that stopped taking writes is dropped. Listen streams count
 * against the same bounds as sessions (apart from them): per user ({@code maxSessionsPerUser}), per tenant
 * ({@code maxSessionsPerTenant}, so that one tenant's users cannot take every place) and for the gateway
 * ({@code maxSessions}); beyond a bound the stream is refused with 429 naming it.
 */
final class Listens {
  static final String SUBSCRIPTION_ID = "io.modelcontextprotocol/subscriptionId";
  private static final Map<String, String> TYPES = Map.of(
      "toolsListChanged", "notifications/tools/list_changed",
      "promptsListChanged", "notifications/prompts/list_changed",
      "resourcesListChanged", "notifications/resources/list_changed");

  private final Catalog catalog;
  private final McpSettings settings;
  private final Map<String, Listen> open = new ConcurrentHashMap<>();
  /** Places admitted and not yet open, in total and per tenant and per tenant and user; guarded by {@code this}. */
  private int reserved;
  private final Map<String, Integer> reservedBy = new java.util.HashMap<>();
  private final ScheduledThreadPoolExecutor soon = new ScheduledThreadPoolExecutor(1, r -> {
    Thread t = new Thread(r, "mcpgw-listen-soon");
    t.setDaemon(true);
    return t;
  });
  /** The scopes whose checks are scheduled, each with whether another request asked for checks meanwhile. */
  private final Map<Scope, AtomicBoolean> checking = new ConcurrentHashMap<>();

  private record Fingerprint(int tools, int resources, int prompts) {}

  private final class Listen {
    final String id;
    final Scope scope;
    final String tenant;
    final String user;
    final ObjectNode agreed;
    final SseStream stream;
    volatile Fingerprint seen;

    Listen(String id, Scope scope, String tenant, String user, ObjectNode agreed, SseStream stream) {
      this.id = id;
      this.scope = scope;
      this.tenant = tenant;
      this.user = user;
      this.agreed = agreed;
      this.stream = stream;
      this.seen = fingerprint(scope);
    }
  }

  Listens(Catalog catalog, McpSettings settings) {
    this.catalog = catalog;
    this.settings = settings;
  }

  void open(HttpServletRequest req, HttpServletResponse res, Exchange exchange, ObjectNode msg) throws IOException {
    String tenant = exchange.caller().tenantId();
    String user = exchange.caller().userId();
    String refusal = admit(tenant, user);
    if (refusal != null) {
      HttpAnswers.json(res, 429, JsonRpc.error(JsonRpc.idOf(msg), RpcException.INVALID_REQUEST,
          "too many open subscriptions/listen streams " + refusal + "; close one first", null));
      return;
    }
    ObjectNode agreed = JsonRpc.MAPPER.createObjectNode();
    JsonNode asked = msg.path("params").path("notifications");
    for (String type : TYPES.keySet()) {
      if (asked.path(type).asBoolean(false)) {
        agreed.put(type, true);
      }
    }
    Listen listen;
    boolean released = false;
    try {
      AsyncContext async = req.startAsync();
      async.setTimeout(0);
      SseStream stream = SseStream.open(res, async);
      // random UUIDs come from a SecureRandom: subscription ids cannot be guessed
      listen = new Listen("sub-" + UUID.randomUUID(), exchange.scope(), tenant, user, agreed, stream);
      async.addListener(new Forget(listen.id));
      synchronized (this) {
        open.put(listen.id, listen);
        release(tenant, user);
        released = true;
      }
    } finally {
      if (!released) {
        release(tenant, user);
      }
    }
    ObjectNode ack = tagged("notifications/subscriptions/acknowledged", listen.id);
    ((ObjectNode) ack.get("params")).set("notifications", agreed);
    if (!listen.stream.send(ack)) {
      forget(listen.id);
    }
  }

  /**
   * Admits a stream of {@code user} of {@code tenant} within the bounds (per user, per tenant, for the gateway: the
   * session settings), counting the places admitted and not yet open, so that streams opened at once cannot all
   * pass the check: why not, or {@code null} when a place is reserved (then {@link #release} it once open or failed).
   */
  private synchronized String admit(String tenant, String user) {
    String both = tenant + "\0" + user;
    long ofTenant = reservedBy.getOrDefault(tenant, 0)
        + open.values().stream().filter(l -> l.tenant.equals(tenant)).count();
    long ofUser = reservedBy.getOrDefault(both, 0)
        + open.values().stream().filter(l -> l.tenant.equals(tenant) && l.user.equals(user)).count();
    if (open.size() + reserved >= settings.maxSessions()) {
      return "on this gateway (MCPGW_MAX_SESSIONS, " + settings.maxSessions() + ")";
    }
    if (ofTenant >= settings.maxSessionsPerTenant()) {
      return "for your tenant (MCPGW_SESSIONS_MAX_PER_TENANT, " + settings.maxSessionsPerTenant() + ")";
    }
    if (ofUser >= settings.maxSessionsPerUser()) {
      return "for you (MCPGW_SESSIONS_MAX_PER_USER, " + settings.maxSessionsPerUser() + ")";
    }
    reserved++;
    reservedBy.merge(tenant, 1, Integer::sum);
    reservedBy.merge(both, 1, Integer::sum);
    return null;
  }

  private synchronized void release(String tenant, String user) {
    reserved--;
    reservedBy.computeIfPresent(tenant, (k, n) -> n > 1 ? n - 1 : null);
    reservedBy.computeIfPresent(tenant + "\0" + user, (k, n) -> n > 1 ? n - 1 : null);
  }

  /** One round: keeps each stream alive and tells it of the list changes it agreed to. Never throws. */
  void round() {
    for (Listen l : List.copyOf(open.values())) {
      if (!l.stream.keepAlive()) {
        forget(l.id);
      } else {
        check(l);
      }
    }
  }

  private void check(Listen l) {
    try {
      synchronized (l) {
        Fingerprint now = fingerprint(l.scope);
        Fingerprint before = l.seen;
        l.seen = now;
        notifyIf(l, "toolsListChanged", before.tools() != now.tools());
        notifyIf(l, "resourcesListChanged", before.resources() != now.resources());
        notifyIf(l, "promptsListChanged", before.prompts() != now.prompts());
      }
    } catch (RuntimeException e) {
      // a failing catalog must not end the round for the other streams
    }
  }

  /**
   * A request of {@code scope} was answered that may have changed what the scope lists (a tool that adds tools): its
   * streams are compared again shortly after, not only at the next round. Nothing happens without a stream there.
   */
  void soon(Scope scope) {
    if (open.values().stream().noneMatch(l -> l.scope.equals(scope))) {
      return;
    }
    AtomicBoolean again = checking.putIfAbsent(scope, new AtomicBoolean());
    if (again != null) {
      // checks of this scope are scheduled already: one more series follows them, not one per request (a client
      // sending calls as fast as it can would otherwise queue three catalog comparisons per call)
      again.set(true);
      return;
    }
    long[] delays = {100, 400, 900};
    for (int i = 0; i < delays.length; i++) {
      boolean last = i == delays.length - 1;
      try {
        soon.schedule(() -> {
          round(scope);
          if (last && checking.remove(scope).get()) {
            soon(scope);
          }
        }, delays[i], TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.RejectedExecutionException stopping) {
        checking.remove(scope);
        return;
      }
    }
  }

  /** How many of {@link #soon}'s checks wait to run (0 when none). */
  int pendingChecks() {
    return soon.getQueue().size();
  }

  private void round(Scope scope) {
    for (Listen l : List.copyOf(open.values())) {
      if (l.scope.equals(scope)) {
        check(l);
      }
    }
  }

  /** How many listen streams are open (0 when none). */
  int size() {
    return open.size();
  }

  void closeAll() {
    soon.shutdownNow();
    open.values().forEach(l -> l.stream.close());
    open.clear();
  }

  private void notifyIf(Listen l, String type, boolean changed) {
    if (changed && l.agreed.path(type).asBoolean(false)) {
      l.stream.send(tagged(TYPES.get(type), l.id));
    }
  }

  private Fingerprint fingerprint(Scope scope) {
    return new Fingerprint(catalog.tools(scope).hashCode(),
        31 * catalog.resources(scope).hashCode() + catalog.resourceTemplates(scope).hashCode(),
        catalog.prompts(scope).hashCode());
  }

  private static ObjectNode tagged(String method, String subscriptionId) {
    ObjectNode n = JsonRpc.MAPPER.createObjectNode().put("jsonrpc", "2.0").put("method", method);
    n.putObject("params").putObject("_meta").put(SUBSCRIPTION_ID, subscriptionId);
    return n;
  }

  private void forget(String id) {
    Listen l = open.remove(id);
    if (l != null) {
      l.stream.close();
    }
  }

  /** Forgets a stream when the container ends it (client gone, error). */
  private final class Forget implements AsyncListener {
    private final String id;

    Forget(String id) {
      this.id = id;
    }

    @Override
    public void onComplete(AsyncEvent event) {
      open.remove(id);
    }

    @Override
    public void onTimeout(AsyncEvent event) {
      forget(id);
    }

    @Override
    public void onError(AsyncEvent event) {
      forget(id);
    }

    @Override
    public void onStartAsync(AsyncEvent event) {}
  }
}
