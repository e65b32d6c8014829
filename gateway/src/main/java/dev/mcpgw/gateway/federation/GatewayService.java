package dev.mcpgw.gateway.federation;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.auth.Caller;
import dev.mcpgw.gateway.config.GatewaySettings;
import dev.mcpgw.gateway.http.ApiException;
import dev.mcpgw.gateway.secret.Masking;
import dev.mcpgw.gateway.store.Database;
import dev.mcpgw.gateway.store.GatewayRepository;
import dev.mcpgw.gateway.store.ItemKind;
import dev.mcpgw.gateway.store.ItemRepository;
import dev.mcpgw.gateway.store.Ownership;
import dev.mcpgw.gateway.store.StoredGateway;
import dev.mcpgw.gateway.tenancy.OwnerFields;
import dev.mcpgw.gateway.upstream.RequestOptions;
import dev.mcpgw.gateway.upstream.UpstreamClient;
import dev.mcpgw.gateway.upstream.UpstreamException;
import dev.mcpgw.gateway.upstream.UpstreamHealth;
import dev.mcpgw.gateway.upstream.UpstreamListener;
import dev.mcpgw.gateway.upstream.UpstreamPool;
import dev.mcpgw.gateway.store.UpstreamSpec;
import dev.mcpgw.gateway.tenancy.TenantQuota;
import dev.mcpgw.gateway.store.OwnedKind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers, refreshes and removes upstream MCP servers and keeps their stored definitions in step with what they
 * offer. Writes call {@code onChange} (the catalog's invalidation) after they commit.
 */
public final class GatewayService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayService.class);
  /** Span names of the batch operations (batch spans, docs/trace-shape.md). */
  static final String SPAN_HEALTH_CHECK_ROUND = "gateway.health_check_round";
  static final String SPAN_HEALTH_CHECK = "gateway.health_check";
  static final String SPAN_RECONNECT_ALL = "gateway.reconnect_all";
  static final String SPAN_RECONNECT = "gateway.reconnect";

  private final Database db;
  private final GatewayRepository gateways;
  private final ItemRepository items;
  private final UpstreamPool pool;
  private final GatewaySettings.Upstream timeouts;
  private final Runnable onChange;
  private final Clock clock;
  private final BatchTracer batches;
  private final TenantQuota quota;
  private final ConcurrentMap<String, GatewayStatus> statuses = new ConcurrentHashMap<>();
  private final Set<String> queuedRediscoveries = ConcurrentHashMap.newKeySet();
  /** The upstreams this instance has seen stored: one of them missing from the registry was deleted elsewhere. */
  private final Set<String> seen = ConcurrentHashMap.newKeySet();
  private final ExecutorService background = Executors.newVirtualThreadPerTaskExecutor();
  // two threads: a long health-check round never delays the registry poll
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, r -> {
    Thread t = new Thread(r, "mcpgw-registry");
    t.setDaemon(true);
    return t;
  });

  private GatewayService(Database db, UpstreamPool pool, GatewaySettings.Upstream timeouts, Runnable onChange, Clock clock,
      BatchTracer batches, TenantQuota quota) {
    this.quota = java.util.Objects.requireNonNull(quota, "quota");
    this.db = db;
    this.batches = batches;
    this.gateways = new GatewayRepository(db);
    this.items = new ItemRepository(db);
    this.pool = pool;
    this.timeouts = timeouts;
    this.onChange = onChange;
    this.clock = clock;
  }

  /** The service over {@code db} and {@code pool} with the upstream {@code timeouts}; the rest is set on the builder. */
  public static Builder builder(Database db, UpstreamPool pool, GatewaySettings.Upstream timeouts) {
    return new Builder(db, pool, timeouts);
  }

  /** The parts of a gateway service; nothing is told of changes and batches are untraced unless given. */
  public static final class Builder {
    private final Database db;
    private final UpstreamPool pool;
    private final GatewaySettings.Upstream timeouts;
    private Runnable onChange = () -> { };
    private BatchTracer batches = BatchTracer.NONE;
    private TenantQuota quota = TenantQuota.NONE;

    private Builder(Database db, UpstreamPool pool, GatewaySettings.Upstream timeouts) {
      this.db = java.util.Objects.requireNonNull(db, "db");
      this.pool = java.util.Objects.requireNonNull(pool, "pool");
      this.timeouts = java.util.Objects.requireNonNull(timeouts, "timeouts");
    }

    /** Run after the catalog changed (a gateway added, removed or rediscovered). */
    public Builder onChange(Runnable listener) {
      this.onChange = java.util.Objects.requireNonNull(listener, "onChange");
      return this;
    }

    /** Gives health-check rounds and {@link GatewayService#reconnectAll()} a parent span with a child per upstream. */
    public Builder batches(BatchTracer tracer) {
      this.batches = java.util.Objects.requireNonNull(tracer, "batches");
      return this;
    }

    /** How many upstreams one tenant's admins may register ({@link TenantQuota#NONE}: unlimited). */
    public Builder quota(TenantQuota tenantQuota) {
      this.quota = java.util.Objects.requireNonNull(tenantQuota, "quota");
      return this;
    }

    public GatewayService build() {
      return new GatewayService(db, pool, timeouts, onChange, Clock.systemUTC(), batches, quota);
    }
  }

  /**
   * Validates a {@code POST /gateways} body, connects to the upstream, discovers what it offers and stores it all.
   * Nothing is stored when any step fails.
   *
   * @throws ApiException 400 naming the field, 409 when the name is taken, 502 when the upstream cannot be used
   */
  public GatewayView register(ObjectNode body) {
    return register(body, Caller.ANONYMOUS);
  }

  /**
   * The same for {@code caller}: the upstream belongs to the caller's tenant, private, unless a platform admin sets
   * {@code tenant}, {@code visibility} or {@code sharedWith} (403 for anyone else).
   */
  public GatewayView register(ObjectNode body, Caller caller) {
    Ownership owner = OwnerFields.forCreate(caller, body);
    quota.requireRoom(caller, owner, OwnedKind.GATEWAY);
    UpstreamSpec spec = GatewaySpecs.parse(body);
    if (spec.transport() == UpstreamSpec.Transport.STDIO && !caller.platformAdmin()) {
      // a stdio upstream is a command run on the host as the gateway's user: the operator's decision only
      throw new ApiException(403, "only a platform admin may register a stdio upstream (it runs a command on the "
          + "gateway's host); tenant admins register streamablehttp or sse upstreams", "transport");
    }
    return register(spec, owner);
  }

  GatewayView register(UpstreamSpec spec) {
    return register(spec, Ownership.DEFAULT_PRIVATE);
  }

  GatewayView register(UpstreamSpec spec, Ownership owner) {
    if (gateways.findByName(spec.name()).isPresent()) {
      throw ApiException.conflict("name", "an upstream named '" + spec.name() + "' is already registered");
    }
    String id = UUID.randomUUID().toString();
    statuses.put(id, GatewayStatus.connecting());
    Connected c;
    try {
      c = connectAndDiscover(id, spec);
    } catch (UpstreamException e) {
      statuses.remove(id);
      pool.disconnect(id);
      throw new ApiException(502, "cannot register upstream '" + spec.name() + "': " + e.getMessage(),
          spec.transport() == UpstreamSpec.Transport.STDIO ? "command" : "url");
    }
    Instant now = clock.instant();
    try {
      db.jdbi().useTransaction(h -> {
        gateways.insert(h, new StoredGateway(id, spec, null, now, null, owner));
        store(h, id, c, now);
      });
    } catch (RuntimeException e) {
      statuses.remove(id);
      pool.disconnect(id);
      if (gateways.findByName(spec.name()).isPresent()) {
        throw ApiException.conflict("name", "an upstream named '" + spec.name() + "' is already registered");
      }
      throw e;
    }
    seen.add(id);
    healthy(id);
    onChange.run();
    LOG.info("registered upstream '{}' ({}): {}", spec.name(), spec.transport().wireName(), summary(c.found()));
    return get(id);
  }

  /**
   * Registers {@code spec} unless an upstream of that name exists; if one does, points it at {@code spec} (the demo
   * upstream listens on a new port at every start) and refreshes it.
   */
  public GatewayView ensure(UpstreamSpec spec) {
    return ensure(spec, Ownership.DEFAULT_PRIVATE);
  }

  /** The same, and the upstream belongs to {@code owner} (the demo upstream: tenant {@code default}, public). */
  public GatewayView ensure(UpstreamSpec spec, Ownership owner) {
    Optional<StoredGateway> existing = gateways.findByName(spec.name());
    if (existing.isEmpty()) {
      return register(spec, owner);
    }
    String id = existing.get().id();
    db.jdbi().useTransaction(h -> {
      gateways.updateSpec(h, id, spec);
      gateways.updateOwnership(h, id, owner);
    });
    return refresh(id);
  }

  /** Every upstream with its health, ordered by name. */
  public List<GatewayView> list() {
    return list(Caller.ANONYMOUS);
  }

  /** Every upstream {@code caller} sees, ordered by name. */
  public List<GatewayView> list(Caller caller) {
    Map<ItemKind, Map<String, Integer>> counts = new EnumMap<>(ItemKind.class);
    for (ItemKind k : ItemKind.values()) {
      counts.put(k, items.countByGateway(k));
    }
    return gateways.list().stream().filter(g -> g.ownership().visibleTo(caller)).map(g -> view(g, counts, caller))
        .toList();
  }

  /** @throws ApiException 404 when there is no such upstream */
  public GatewayView get(String id) {
    return get(id, Caller.ANONYMOUS);
  }

  /** @throws ApiException 404 when there is no such upstream or {@code caller} does not see it */
  public GatewayView get(String id, Caller caller) {
    StoredGateway g = gateways.find(id).orElseThrow(() -> notFound(id));
    OwnerFields.requireVisible(caller, g.ownership(), () -> notFound(id));
    Map<ItemKind, Map<String, Integer>> counts = new EnumMap<>(ItemKind.class);
    for (ItemKind k : ItemKind.values()) {
      counts.put(k, Map.of(id, items.listByGateway(k, id).size()));
    }
    return view(g, counts, caller);
  }

  /** Removes the upstream, its definitions and its virtual-server memberships, and closes its session. */
  public void delete(String id) {
    delete(id, Caller.ANONYMOUS);
  }

  /** The same for {@code caller}: 404 when it does not see the upstream, 403 when it may not manage it. */
  public void delete(String id, Caller caller) {
    StoredGateway g = gateways.find(id).orElseThrow(() -> notFound(id));
    OwnerFields.requireManage(caller, g.ownership(), () -> notFound(id), "upstream '" + g.name() + "'");
    gateways.delete(id);
    forget(id);
    onChange.run();
    LOG.info("deleted upstream '{}'", g.name());
  }

  /**
   * Reconnects and rediscovers everything the upstream offers. The stored definitions stay as they were when it
   * fails.
   *
   * @throws ApiException 404 when there is no such upstream, 502 when it cannot be reached
   */
  public GatewayView refresh(String id) {
    return refresh(id, Caller.ANONYMOUS);
  }

  /** The same for {@code caller}: 404 when it does not see the upstream, 403 when it may not manage it. */
  public GatewayView refresh(String id, Caller caller) {
    StoredGateway g = gateways.find(id).orElseThrow(() -> notFound(id));
    OwnerFields.requireManage(caller, g.ownership(), () -> notFound(id), "upstream '" + g.name() + "'");
    try {
      reconnect(g);
    } catch (UpstreamException e) {
      throw ApiException.badGateway("cannot refresh upstream '" + g.name() + "': " + e.getMessage());
    }
    return get(id);
  }

  /**
   * Reconnects every stored upstream that has no session yet in the background (at start-up); failures leave it
   * {@code unhealthy}. One connected meanwhile (registered or ensured) is left alone: a second connect would replace
   * its session.
   */
  public void reconnectAll() {
    try (BatchTracer.Batch batch = batches.begin(SPAN_RECONNECT_ALL)) {
      for (StoredGateway g : gateways.list()) {
        seen.add(g.id());
        if (pool.get(g.id()).isPresent()) {
          continue;
        }
        statuses.put(g.id(), GatewayStatus.connecting());
        background.submit(batch.item(SPAN_RECONNECT, g.id(), g.name(), () -> {
          try {
            reconnect(g);
            return true;
          } catch (UpstreamException e) {
            // recorded as unhealthy by reconnect; the health checks retry
            return false;
          }
        }));
      }
    }
  }

  /**
   * Follows the registry's writes by other instances sharing its database every {@code interval}
   * ({@code MCPGW_CATALOG_CACHE_TTL}, the bound within which an instance sees another's writes): see
   * {@link #followRegistry()}.
   */
  public void followRegistry(Duration interval) {
    scheduler.scheduleWithFixedDelay(this::followRegistry, interval.toMillis(), interval.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /**
   * One pass over the stored upstreams: connects in the background those registered by another instance and
   * disconnects those another instance deleted, so that any instance can serve a call to any upstream. One registered
   * or connected here is left alone (a refresh elsewhere reconnects that instance's session only).
   */
  public void followRegistry() {
    try {
      Set<String> stored = new java.util.HashSet<>();
      boolean removed = false;
      for (StoredGateway g : gateways.list()) {
        stored.add(g.id());
        if (seen.add(g.id()) && !statuses.containsKey(g.id())) {
          statuses.put(g.id(), GatewayStatus.connecting());
          LOG.info("upstream '{}' was registered by another instance: connecting", g.name());
          background.submit(() -> {
            try {
              reconnect(g);
            } catch (UpstreamException e) {
              // recorded as unhealthy by reconnect; the health checks retry
            } catch (RuntimeException e) {
              // e.g. deleted meanwhile by the other instance: the next pass forgets it
              LOG.warn("connecting upstream '{}' registered by another instance failed: {}", g.name(), e.toString());
            }
          });
        }
      }
      for (String id : Set.copyOf(seen)) {
        if (!stored.contains(id)) {
          forget(id);
          removed = true;
          LOG.info("upstream {} was deleted by another instance: disconnected", id);
        }
      }
      if (removed) {
        onChange.run();
      }
    } catch (RuntimeException e) {
      // a failing database must not kill the schedule: the next pass tries again
      LOG.warn("following the registry failed: {}", e.toString());
    }
  }

  /** Drops this instance's session and state of an upstream that is no longer stored. */
  private void forget(String id) {
    seen.remove(id);
    pool.disconnect(id);
    statuses.remove(id);
  }

  /** Pings every upstream every {@code interval}, reconnecting the ones that fail. */
  public void startHealthChecks(Duration interval) {
    scheduler.scheduleWithFixedDelay(this::checkHealth, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** One round of health checks, all upstreams in parallel; returns when every check is done. */
  public void checkHealth() {
    List<Callable<Void>> checks = new ArrayList<>();
    try (BatchTracer.Batch batch = batches.begin(SPAN_HEALTH_CHECK_ROUND)) {
      for (StoredGateway g : gateways.list()) {
        Runnable item = batch.item(SPAN_HEALTH_CHECK, g.id(), g.name(), () -> check(g));
        checks.add(() -> {
          item.run();
          return null;
        });
      }
      background.invokeAll(checks);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      // a failing database must not kill the schedule: the next round tries again
      LOG.warn("health check round failed: {}", e.toString());
    }
  }

  /** Whether the upstream answered a ping or could be reconnected. */
  private boolean check(StoredGateway g) {
    Optional<UpstreamClient> client = pool.get(g.id());
    if (client.isPresent()) {
      try {
        UpstreamCalls.await(client.get().request("ping", JsonNodeFactory.instance.objectNode(),
            RequestOptions.call(timeouts.requestTimeout())), g.name(), timeouts.requestTimeout());
        healthy(g.id());
        return true;
      } catch (UpstreamException e) {
        unhealthy(g, e);
      }
    }
    try {
      reconnect(g);
      return true;
    } catch (UpstreamException e) {
      // recorded by reconnect
      return false;
    }
  }

  private void reconnect(StoredGateway g) {
    Connected c;
    try {
      c = connectAndDiscover(g.id(), g.spec());
    } catch (UpstreamException e) {
      if (stillStored(g)) {
        unhealthy(g, e); // an outcome for a spec replaced meanwhile would overwrite the status of the new one
      }
      throw e;
    }
    db.jdbi().useTransaction(h -> store(h, g.id(), c, clock.instant()));
    healthy(g.id());
    onChange.run();
  }

  /** Whether {@code g}'s spec is still the stored one (an update may have replaced it while we connected). */
  private boolean stillStored(StoredGateway g) {
    return gateways.find(g.id()).map(stored -> stored.spec().equals(g.spec())).orElse(false);
  }

  private Connected connectAndDiscover(String id, UpstreamSpec spec) {
    UpstreamClient client = UpstreamCalls.await(pool.connect(id, spec, listener(id)), spec.name(),
        timeouts.connectTimeout());
    return new Connected(client, Discovery.discover(client, EnumSet.allOf(ItemKind.class), timeouts.requestTimeout()));
  }

  private void store(org.jdbi.v3.core.Handle h, String id, Connected c, Instant now) {
    for (Map.Entry<ItemKind, List<ObjectNode>> e : c.found().entrySet()) {
      items.replaceForGateway(h, e.getKey(), id, e.getValue(), now);
    }
    gateways.markRefreshed(h, id, c.client().initializeResult(), now);
  }

  /** Re-discovers one kind when the upstream says its list changed; coalesces bursts of notifications. */
  private UpstreamListener listener(String id) {
    return (method, params) -> {
      Set<ItemKind> kinds = switch (method) {
        case "notifications/tools/list_changed" -> EnumSet.of(ItemKind.TOOL);
        case "notifications/resources/list_changed" -> EnumSet.of(ItemKind.RESOURCE, ItemKind.RESOURCE_TEMPLATE);
        case "notifications/prompts/list_changed" -> EnumSet.of(ItemKind.PROMPT);
        default -> Set.of();
      };
      if (!kinds.isEmpty() && queuedRediscoveries.add(id + " " + method)) {
        background.submit(() -> {
          // removed before the work starts: a change announced while it runs queues one more pass
          queuedRediscoveries.remove(id + " " + method);
          rediscover(id, kinds);
        });
      }
    };
  }

  private void rediscover(String id, Set<ItemKind> kinds) {
    Optional<StoredGateway> g = gateways.find(id);
    Optional<UpstreamClient> client = pool.get(id);
    if (g.isEmpty() || client.isEmpty()) {
      return;
    }
    try {
      Map<ItemKind, List<ObjectNode>> found = Discovery.discover(client.get(), kinds, timeouts.requestTimeout());
      Instant now = clock.instant();
      db.jdbi().useTransaction(h -> found.forEach((k, defs) -> items.replaceForGateway(h, k, id, defs, now)));
      onChange.run();
      LOG.info("rediscovered upstream '{}' after list_changed: {}", g.get().name(), summary(found));
    } catch (UpstreamException e) {
      unhealthy(g.get(), e);
    } catch (RuntimeException e) {
      LOG.warn("rediscovery of upstream '{}' failed: {}", g.get().name(), e.toString());
    }
  }

  private void healthy(String id) {
    statuses.put(id, new GatewayStatus(GatewayStatus.HEALTHY, clock.instant(), null));
  }

  private void unhealthy(StoredGateway g, UpstreamException e) {
    GatewayStatus before = statuses.put(g.id(), new GatewayStatus(GatewayStatus.UNHEALTHY, clock.instant(), e.getMessage()));
    if (before == null || !GatewayStatus.UNHEALTHY.equals(before.status())) {
      // logged on the transition only, so a dead upstream does not flood the log every interval
      LOG.warn("upstream '{}' is unhealthy: {}", g.name(), e.getMessage());
    }
  }

  private GatewayView view(StoredGateway g, Map<ItemKind, Map<String, Integer>> counts, Caller caller) {
    UpstreamSpec s = g.spec();
    GatewayStatus status = statuses.getOrDefault(g.id(), GatewayStatus.connecting());
    Optional<UpstreamHealth> h = pool.get(g.id()).map(UpstreamClient::health);
    GatewayView.Health health = new GatewayView.Health(
        h.map(UpstreamHealth::connected).orElse(false),
        h.map(UpstreamHealth::circuitState).orElseGet(() -> pool.circuitState(g.id())),
        h.map(UpstreamHealth::lastError).orElse(status.lastError()),
        h.map(UpstreamHealth::lastErrorAt).orElse(null),
        status.lastCheckedAt());
    // a session connected since the last check (a call reconnected it on demand) outranks that check's verdict
    String shown = health.connected() ? GatewayStatus.HEALTHY : status.status();
    Map<String, Integer> n = new LinkedHashMap<>();
    for (ItemKind k : ItemKind.values()) {
      n.put(k.resultField(), counts.get(k).getOrDefault(g.id(), 0));
    }
    ObjectNode init = g.initializeResult();
    return new GatewayView(g.id(), s.name(), s.transport().wireName(), Masking.url(s.url()), s.command(), s.args(),
        Masking.values(s.env()), Masking.values(s.headers()), shown, health,
        init == null ? null : init.get("capabilities"), init == null ? null : init.get("serverInfo"), n, g.createdAt(),
        g.refreshedAt(), g.ownership().tenantId(), g.ownership().visibility().wireName(),
        g.ownership().sharedWithSeenBy(caller), s.credentials().wireName());
  }

  private static String summary(Map<ItemKind, List<ObjectNode>> found) {
    StringBuilder sb = new StringBuilder();
    found.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : ", ").append(v.size()).append(' ').append(k.resultField()));
    return sb.toString();
  }

  private static ApiException notFound(String id) {
    return ApiException.notFound("no upstream with id '" + id + "'");
  }

  /** Stops the health checks and background rediscoveries (the pool is closed by its owner). */
  @Override
  public void close() {
    scheduler.shutdownNow();
    background.shutdownNow();
  }

  private record Connected(UpstreamClient client, Map<ItemKind, List<ObjectNode>> found) {}
}
