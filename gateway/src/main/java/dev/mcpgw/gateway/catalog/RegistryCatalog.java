package dev.mcpgw.gateway.catalog;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.mcpgw.gateway.store.GatewayRepository;
import dev.mcpgw.gateway.store.ItemKind;
import dev.mcpgw.gateway.store.ItemRepository;
import dev.mcpgw.gateway.store.Ownership;
import dev.mcpgw.gateway.store.ServerRepository;
import dev.mcpgw.gateway.store.StoredGateway;
import dev.mcpgw.gateway.store.StoredItem;
import dev.mcpgw.gateway.store.VirtualServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Catalog} over the registry database. The whole registry is read into one immutable snapshot, cached
 * until a write on this instance invalidates it or, for writes by other instances sharing PostgreSQL, until the TTL
 * passes; each scope's view (names, lookups) is computed once per snapshot and kept in a cache bounded to
 * {@link #MAX_VIEWS} scopes (least recently used dropped first), so that tokens of ever new tenants cannot grow memory
 * without bound. When the database fails, the last good snapshot keeps serving: the request path never throws because
 * of the registry.
 */
public final class RegistryCatalog implements Catalog {
  private static final Logger LOG = LoggerFactory.getLogger(RegistryCatalog.class);
  private static final String KEY = "registry";
  private static final long LOG_EVERY_MS = 60_000;
  /**
   * How many scopes' views one snapshot keeps (each holds a copy of what its scope sees). Scopes beyond it are rebuilt
   * when asked again (a pass over the snapshot): the cost of thousands of tenants calling at once is CPU, not memory.
   */
  static final int MAX_VIEWS = 256;

  private final GatewayRepository gateways;
  private final ItemRepository items;
  private final ServerRepository servers;
  private final PromptRenderer renderer;
  private final Cache<String, Snapshot> cache;
  private final int maxViews;
  private volatile Snapshot lastGood = Snapshot.EMPTY;
  private final AtomicLong lastFailureLog = new AtomicLong();

  public RegistryCatalog(GatewayRepository gateways, ItemRepository items, ServerRepository servers,
      PromptRenderer renderer, Duration ttl) {
    this(gateways, items, servers, renderer, ttl, MAX_VIEWS);
  }

  /** @param maxViews how many scopes' views a snapshot keeps at most */
  RegistryCatalog(GatewayRepository gateways, ItemRepository items, ServerRepository servers, PromptRenderer renderer,
      Duration ttl, int maxViews) {
    if (maxViews < 1) {
      throw new IllegalArgumentException("maxViews must be at least 1, was " + maxViews);
    }
    this.maxViews = maxViews;
    this.gateways = gateways;
    this.items = items;
    this.servers = servers;
    this.renderer = renderer;
    this.cache = Caffeine.newBuilder().expireAfterWrite(ttl).build();
  }

  /** Drops the cached snapshot; the next lookup reads the database. Called after every registry write. */
  public void invalidate() {
    cache.invalidateAll();
  }

  private Snapshot snapshot() {
    try {
      return cache.get(KEY, k -> load());
    } catch (RuntimeException e) {
      long now = System.currentTimeMillis();
      long last = lastFailureLog.get();
      if (now - last > LOG_EVERY_MS && lastFailureLog.compareAndSet(last, now)) {
        LOG.warn("cannot read the registry; serving the last known catalog: {}", e.toString());
      }
      return lastGood;
    }
  }

  private Snapshot load() {
    List<StoredGateway> stored = gateways.list();
    Map<String, String> names = stored.stream().collect(Collectors.toMap(StoredGateway::id, StoredGateway::name));
    Map<String, Ownership> owners = stored.stream().collect(Collectors.toMap(StoredGateway::id, StoredGateway::ownership));
    Map<ItemKind, List<StoredItem>> all = new EnumMap<>(ItemKind.class);
    for (ItemKind k : ItemKind.values()) {
      all.put(k, items.list(k));
    }
    Map<String, VirtualServer> byId = servers.list().stream().collect(Collectors.toMap(VirtualServer::id, s -> s));
    Snapshot s = new Snapshot(names, owners, all, byId, maxViews);
    lastGood = s;
    return s;
  }

  private View view(Scope scope) {
    Snapshot s = snapshot();
    return s.views.get(scope, sc -> View.build(s, sc));
  }

  /** How many scopes' views the current snapshot holds (at most the bound given at construction). */
  long cachedViews() {
    Cache<Scope, View> views = snapshot().views;
    views.cleanUp();
    return views.estimatedSize();
  }

  @Override
  public List<CatalogEntry> tools(Scope scope) {
    return view(scope).lists.get(ItemKind.TOOL);
  }

  @Override
  public Optional<CatalogEntry> tool(Scope scope, String exposedName) {
    return Optional.ofNullable(view(scope).byName.get(ItemKind.TOOL).get(exposedName));
  }

  @Override
  public List<CatalogEntry> prompts(Scope scope) {
    return view(scope).lists.get(ItemKind.PROMPT);
  }

  @Override
  public Optional<CatalogEntry> prompt(Scope scope, String exposedName) {
    return Optional.ofNullable(view(scope).byName.get(ItemKind.PROMPT).get(exposedName));
  }

  @Override
  public List<CatalogEntry> resources(Scope scope) {
    return view(scope).lists.get(ItemKind.RESOURCE);
  }

  @Override
  public Optional<CatalogEntry> resource(Scope scope, String uri) {
    View v = view(scope);
    CatalogEntry exact = v.byName.get(ItemKind.RESOURCE).get(uri);
    if (exact != null) {
      return Optional.of(exact);
    }
    List<CatalogEntry> templates = v.lists.get(ItemKind.RESOURCE_TEMPLATE);
    for (int i = 0; i < templates.size(); i++) {
      if (v.templatePatterns.get(i).matcher(uri).matches()) {
        return Optional.of(templates.get(i));
      }
    }
    return Optional.empty();
  }

  @Override
  public List<CatalogEntry> resourceTemplates(Scope scope) {
    return view(scope).lists.get(ItemKind.RESOURCE_TEMPLATE);
  }

  @Override
  public boolean serverExists(String serverId) {
    return snapshot().servers.containsKey(serverId);
  }

  @Override
  public boolean serverVisible(Scope scope) {
    VirtualServer server = scope.isAll() ? null : snapshot().servers.get(scope.serverId());
    return server != null && scope.sees(server.ownership());
  }

  @Override
  public ObjectNode renderLocalPrompt(CatalogEntry prompt, ObjectNode arguments) {
    StoredItem item = snapshot().byId.get(prompt.id());
    if (item == null || item.body() == null) {
      throw new IllegalArgumentException("prompt '" + prompt.exposedName() + "' is not a local prompt");
    }
    String text = renderer.render(prompt.exposedName(), item.body(), item.definition().get("arguments"), arguments);
    ObjectNode result = JsonNodeFactory.instance.objectNode();
    if (item.definition().hasNonNull("description")) {
      result.set("description", item.definition().get("description"));
    }
    ObjectNode message = result.putArray("messages").addObject().put("role", "user");
    message.putObject("content").put("type", "text").put("text", text);
    return result;
  }

  @Override
  public ObjectNode readLocalResource(CatalogEntry resource) {
    StoredItem item = snapshot().byId.get(resource.id());
    ObjectNode result = JsonNodeFactory.instance.objectNode();
    ObjectNode content = result.putArray("contents").addObject().put("uri", resource.originalName());
    content.put("mimeType", item == null ? "text/plain" : item.definition().path("mimeType").asText("text/plain"));
    content.put("text", item == null || item.body() == null ? "" : item.body());
    return result;
  }

  /** The registry as read at one moment. */
  private static final class Snapshot {
    static final Snapshot EMPTY = new Snapshot(Map.of(), Map.of(), emptyItems(), Map.of(), MAX_VIEWS);
    /**
     * An owner no tenant is: only platform admins see what it owns (a token naming this tenant would need the signing
     * key, which can mint a platform admin anyway).
     */
    private static final Ownership NO_TENANT = Ownership.privateTo("\u0000none");

    final Map<String, String> gatewayNames;
    final Map<String, Ownership> gatewayOwners;
    final Map<ItemKind, List<StoredItem>> items;
    final Map<String, StoredItem> byId = new HashMap<>();
    final Map<String, VirtualServer> servers;
    /** One view per scope, bounded: evicted on the calling thread rather than by a shared pool. */
    final Cache<Scope, View> views;

    Snapshot(Map<String, String> gatewayNames, Map<String, Ownership> gatewayOwners, Map<ItemKind, List<StoredItem>> items,
        Map<String, VirtualServer> servers, int maxViews) {
      this.views = Caffeine.newBuilder().maximumSize(maxViews).executor(Runnable::run).build();
      this.gatewayNames = gatewayNames;
      this.gatewayOwners = gatewayOwners;
      this.items = items;
      this.servers = servers;
      items.values().forEach(list -> list.forEach(i -> byId.put(i.id(), i)));
    }

    /**
     * Who owns an item: its upstream's owner, or its own for a local one. An item whose upstream was registered after
     * the upstreams were read (the snapshot reads its tables one after the other) belongs to no tenant until the next
     * snapshot: only platform admins see it.
     */
    Ownership owner(StoredItem i) {
      if (i.gatewayId() != null) {
        return gatewayOwners.getOrDefault(i.gatewayId(), NO_TENANT);
      }
      return i.ownership() == null ? Ownership.DEFAULT_PRIVATE : i.ownership();
    }

    private static Map<ItemKind, List<StoredItem>> emptyItems() {
      Map<ItemKind, List<StoredItem>> m = new EnumMap<>(ItemKind.class);
      for (ItemKind k : ItemKind.values()) {
        m.put(k, List.of());
      }
      return m;
    }
  }

  /** One scope's entries with their exposed names, and lookups by name. */
  private static final class View {
    static final View EMPTY = build(Snapshot.EMPTY, Scope.ALL);

    final Map<ItemKind, List<CatalogEntry>> lists = new EnumMap<>(ItemKind.class);
    final Map<ItemKind, Map<String, CatalogEntry>> byName = new EnumMap<>(ItemKind.class);
    final List<Pattern> templatePatterns = new ArrayList<>();

    /**
     * On {@code /mcp}: what the scope's audience sees. On a virtual server: nothing unless the audience sees the
     * server; then its members that are (still) visible to the server's own tenant.
     */
    static View build(Snapshot s, Scope scope) {
      VirtualServer server = scope.isAll() ? null : s.servers.get(scope.serverId());
      if (!scope.isAll() && (server == null || !scope.sees(server.ownership()))) {
        return EMPTY;
      }
      View v = new View();
      for (ItemKind kind : ItemKind.values()) {
        List<StoredItem> selected = s.items.get(kind).stream()
            .filter(i -> server == null
                ? scope.sees(s.owner(i))
                : member(server, kind, i) && s.owner(i).visibleToTenant(server.ownership().tenantId()))
            .toList();
        Map<String, Long> keyCounts = selected.stream().collect(Collectors.groupingBy(StoredItem::key, Collectors.counting()));
        Map<String, CatalogEntry> named = new LinkedHashMap<>();
        // where two local items share a key (the caller's own and one shared with it), the caller's own wins
        Map<String, Boolean> own = new HashMap<>();
        selected.forEach(i -> own.put(i.id(), scope.own(s.owner(i).tenantId())));
        selected.stream()
            .map(i -> entry(s, kind, i, exposedName(s, kind, i, server == null || keyCounts.get(i.key()) > 1)))
            .sorted(Comparator.comparing(CatalogEntry::exposedName)
                .thenComparing(e -> own.get(e.id()) ? 0 : 1))
            .forEach(e -> named.putIfAbsent(e.exposedName(), e));
        v.lists.put(kind, List.copyOf(named.values()));
        v.byName.put(kind, Map.copyOf(named));
      }
      v.lists.get(ItemKind.RESOURCE_TEMPLATE).forEach(t -> v.templatePatterns.add(UriTemplates.toPattern(t.originalName())));
      return v;
    }

    private static boolean member(VirtualServer server, ItemKind kind, StoredItem i) {
      if (i.gatewayId() != null && server.gateways().contains(i.gatewayId())) {
        return true;
      }
      return switch (kind) {
        case TOOL -> server.tools().contains(i.id());
        case RESOURCE -> server.resources().contains(i.id());
        case PROMPT -> server.prompts().contains(i.id());
        case RESOURCE_TEMPLATE -> false;
      };
    }

    /** Tools and prompts of an upstream get its name as prefix where names must be told apart; URIs never change. */
    private static String exposedName(Snapshot s, ItemKind kind, StoredItem i, boolean prefix) {
      boolean named = kind == ItemKind.TOOL || kind == ItemKind.PROMPT;
      if (!named || !prefix || i.gatewayId() == null) {
        return i.key();
      }
      return s.gatewayNames.getOrDefault(i.gatewayId(), i.gatewayId()) + "-" + i.key();
    }

    private static CatalogEntry entry(Snapshot s, ItemKind kind, StoredItem i, String exposed) {
      // a copy per view: the dispatcher may rewrite what it relays without touching the snapshot
      ObjectNode definition = i.definition().deepCopy();
      if (kind == ItemKind.TOOL || kind == ItemKind.PROMPT) {
        definition.put("name", exposed);
      }
      return new CatalogEntry(i.id(), i.gatewayId(), i.gatewayId() == null ? null : s.gatewayNames.get(i.gatewayId()),
          i.key(), exposed, definition);
    }
  }
}
