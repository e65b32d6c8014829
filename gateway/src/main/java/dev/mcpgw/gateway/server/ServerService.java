package dev.mcpgw.gateway.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.http.ApiException;
import dev.mcpgw.gateway.http.RequestFields;
import dev.mcpgw.gateway.store.GatewayRepository;
import dev.mcpgw.gateway.store.ItemKind;
import dev.mcpgw.gateway.store.ItemRepository;
import dev.mcpgw.gateway.store.ServerRepository;
import dev.mcpgw.gateway.store.VirtualServer;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
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

  public ServerService(ServerRepository servers, GatewayRepository gateways, ItemRepository items, Runnable onChange) {
    this.servers = servers;
    this.gateways = gateways;
    this.items = items;
    this.onChange = onChange;
  }

  /** A virtual server as the API returns it, with the path of its MCP endpoint. */
  public record ServerView(String id, String name, String description, List<String> gateways, List<String> tools,
      List<String> resources, List<String> prompts, java.time.Instant createdAt, String mcpPath) {}

  /**
   * Stores a server from a {@code POST /servers} body; every listed id must exist.
   *
   * @throws ApiException 400 naming the field (e.g. {@code tools[1]}), 409 when the name is taken
   */
  public ServerView create(ObjectNode body) {
    RequestFields f = RequestFields.of(body, FIELDS);
    String name = f.name("name");
    String description = f.optionalString("description");
    List<String> gatewayIds = ids(f, "gateways", id -> gateways.find(id).isPresent());
    List<String> tools = ids(f, "tools", id -> items.find(ItemKind.TOOL, id).isPresent());
    List<String> resources = ids(f, "resources", id -> items.find(ItemKind.RESOURCE, id).isPresent());
    List<String> prompts = ids(f, "prompts", id -> items.find(ItemKind.PROMPT, id).isPresent());
    if (servers.findByName(name).isPresent()) {
      throw ApiException.conflict("name", "a virtual server named '" + name + "' exists");
    }
    VirtualServer s = new VirtualServer(UUID.randomUUID().toString(), name, description, gatewayIds, tools, resources,
        prompts, clock.instant());
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
    return view(s);
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

  public List<ServerView> list() {
    return servers.list().stream().map(ServerService::view).toList();
  }

  /** @throws ApiException 404 when there is no such server */
  public ServerView get(String id) {
    return servers.find(id).map(ServerService::view)
        .orElseThrow(() -> ApiException.notFound("no virtual server with id '" + id + "'"));
  }

  /** @throws ApiException 404 when there is no such server */
  public void delete(String id) {
    if (!servers.delete(id)) {
      throw ApiException.notFound("no virtual server with id '" + id + "'");
    }
    onChange.run();
  }

  private static ServerView view(VirtualServer s) {
    return new ServerView(s.id(), s.name(), s.description(), s.gateways(), s.tools(), s.resources(), s.prompts(),
        s.createdAt(), "/servers/" + s.id() + "/mcp");
  }
}
