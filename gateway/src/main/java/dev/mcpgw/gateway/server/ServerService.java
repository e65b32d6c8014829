package dev.mcpgw.gateway.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.auth.Caller;
import dev.mcpgw.gateway.http.ApiException;
import dev.mcpgw.gateway.http.RequestFields;
import dev.mcpgw.gateway.store.GatewayRepository;
import dev.mcpgw.gateway.store.ItemKind;
import dev.mcpgw.gateway.store.ItemRepository;
import dev.mcpgw.gateway.store.Ownership;
import dev.mcpgw.gateway.store.ServerRepository;
import dev.mcpgw.gateway.store.StoredItem;
import dev.mcpgw.gateway.tenancy.OwnerFields;
import dev.mcpgw.gateway.tenancy.TenantQuota;
import dev.mcpgw.gateway.store.OwnedKind;
import dev.mcpgw.gateway.store.VirtualServer;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

/** Creates, lists and deletes virtual servers. */
public final class ServerService {
  private static final Set<String> FIELDS = Set.of("name", "description", "gateways", "tools", "resources", "prompts");

  private final ServerRepository servers;
  private final GatewayRepository gateways;
  private final ItemRepository items;
  private final Runnable onChange;
  private final Clock clock = Clock.systemUTC();

  private final TenantQuota quota;

  public ServerService(ServerRepository servers, GatewayRepository gateways, ItemRepository items, Runnable onChange) {
    this(servers, gateways, items, onChange, TenantQuota.NONE);
  }

  /** @param quota how many virtual servers one tenant's admins may create */
  public ServerService(ServerRepository servers, GatewayRepository gateways, ItemRepository items, Runnable onChange,
      TenantQuota quota) {
    this.quota = quota;
    this.servers = servers;
    this.gateways = gateways;
    this.items = items;
    this.onChange = onChange;
  }

  /** A virtual server as the API returns it, with the path of its MCP endpoint. */
  public record ServerView(String id, String name, String description, List<String> gateways, List<String> tools,
      List<String> resources, List<String> prompts, java.time.Instant createdAt, String mcpPath, String tenant,
      String visibility, Set<String> sharedWith) {}

  /**
   * Stores a server from a {@code POST /servers} body; every listed id must exist.
   *
   * @throws ApiException 400 naming the field (e.g. {@code tools[1]}), 409 when the name is taken
   */
  public ServerView create(ObjectNode body) {
    return create(body, Caller.ANONYMOUS);
  }

  /**
   * The same for {@code caller}: the server belongs to the caller's tenant (or the one a platform admin names), and
   * every member must be visible to that tenant; one that is not is reported exactly like one that does not exist.
   */
  public ServerView create(ObjectNode body, Caller caller) {
    Ownership owner = OwnerFields.forCreate(caller, body);
    quota.requireRoom(caller, owner, OwnedKind.SERVER);
    String tenant = owner.tenantId();
    RequestFields f = RequestFields.of(body, FIELDS);
    String name = f.name("name");
    String description = f.optionalString("description");
    List<String> gatewayIds = ids(f, "gateways",
        id -> gateways.find(id).filter(g -> g.ownership().visibleToTenant(tenant)).isPresent());
    List<String> tools = ids(f, "tools", id -> visibleItem(ItemKind.TOOL, id, tenant));
    List<String> resources = ids(f, "resources", id -> visibleItem(ItemKind.RESOURCE, id, tenant));
    List<String> prompts = ids(f, "prompts", id -> visibleItem(ItemKind.PROMPT, id, tenant));
    if (servers.findByName(name).isPresent()) {
      throw ApiException.conflict("name", "a virtual server named '" + name + "' exists");
    }
    VirtualServer s = new VirtualServer(UUID.randomUUID().toString(), name, description, gatewayIds, tools, resources,
        prompts, clock.instant(), owner);
    try {
      servers.insert(s);
    } catch (RuntimeException e) {
      // a member deleted or the name taken between the checks and the insert: the transaction stored nothing
      if (servers.findByName(name).isPresent()) {
        throw ApiException.conflict("name", "a virtual server named '" + name + "' exists");
      }
      throw ApiException.conflict(null, "a member of the server was deleted meanwhile; retry");
    }
    onChange.run();
    return view(s, caller);
  }

  private static List<String> ids(RequestFields f, String field, Predicate<String> exists) {
    List<String> ids = f.stringList(field);
    for (int i = 0; i < ids.size(); i++) {
      if (!exists.test(ids.get(i))) {
        throw ApiException.badRequest(field + "[" + i + "]", "'" + field + "[" + i + "]': no " + field.substring(0,
            field.length() - 1) + " with id '" + ids.get(i) + "'");
      }
    }
    return List.copyOf(new LinkedHashSet<>(ids));
  }

  /** Whether the item exists and tenant {@code tenant} sees it (an upstream's item through its upstream). */
  private boolean visibleItem(ItemKind kind, String id, String tenant) {
    Optional<StoredItem> item = items.find(kind, id);
    if (item.isEmpty()) {
      return false;
    }
    if (item.get().gatewayId() == null) {
      Ownership o = item.get().ownership() == null ? Ownership.DEFAULT_PRIVATE : item.get().ownership();
      return o.visibleToTenant(tenant);
    }
    return gateways.find(item.get().gatewayId()).filter(g -> g.ownership().visibleToTenant(tenant)).isPresent();
  }

  public List<ServerView> list() {
    return list(Caller.ANONYMOUS);
  }

  /** The servers {@code caller} sees. */
  public List<ServerView> list(Caller caller) {
    return servers.list().stream().filter(s -> s.ownership().visibleTo(caller)).map(s -> view(s, caller)).toList();
  }

  /** @throws ApiException 404 when there is no such server */
  public ServerView get(String id) {
    return get(id, Caller.ANONYMOUS);
  }

  /** @throws ApiException 404 when there is no such server or {@code caller} does not see it */
  public ServerView get(String id, Caller caller) {
    return servers.find(id).filter(s -> s.ownership().visibleTo(caller)).map(s -> view(s, caller))
        .orElseThrow(() -> notFound(id));
  }

  /** @throws ApiException 404 when there is no such server */
  public void delete(String id) {
    delete(id, Caller.ANONYMOUS);
  }

  /** The same for {@code caller}: 404 when it does not see the server, 403 when it may not manage it. */
  public void delete(String id, Caller caller) {
    VirtualServer s = servers.find(id).orElseThrow(() -> notFound(id));
    OwnerFields.requireManage(caller, s.ownership(), () -> notFound(id), "virtual server '" + s.name() + "'");
    if (!servers.delete(id)) {
      throw notFound(id);
    }
    onChange.run();
  }

  private static ApiException notFound(String id) {
    return ApiException.notFound("no virtual server with id '" + id + "'");
  }

  private static ServerView view(VirtualServer s, Caller caller) {
    return new ServerView(s.id(), s.name(), s.description(), s.gateways(), s.tools(), s.resources(), s.prompts(),
        s.createdAt(), "/servers/" + s.id() + "/mcp", s.ownership().tenantId(), s.ownership().visibility().wireName(),
        s.ownership().sharedWithSeenBy(caller));
  }
}
