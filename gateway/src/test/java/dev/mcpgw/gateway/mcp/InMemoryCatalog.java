package dev.mcpgw.gateway.mcp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.catalog.Catalog;
import dev.mcpgw.gateway.catalog.CatalogEntry;
import dev.mcpgw.gateway.catalog.Scope;
import dev.mcpgw.gateway.jsonrpc.JsonRpc;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A catalog double for dispatcher and endpoint tests: entries are added by hand, a virtual server is a set of entry
 * ids. The registry-backed catalog has its own tests and runs in the end-to-end tests.
 */
public final class InMemoryCatalog implements Catalog {
  private final List<CatalogEntry> tools = new CopyOnWriteArrayList<>();
  private final List<CatalogEntry> prompts = new CopyOnWriteArrayList<>();
  private final List<CatalogEntry> resources = new CopyOnWriteArrayList<>();
  private final List<CatalogEntry> templates = new CopyOnWriteArrayList<>();
  private final Map<String, String> localBodies = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> servers = new ConcurrentHashMap<>();

  public InMemoryCatalog tool(String gatewayId, String gatewayName, String original) {
    String exposed = gatewayName + "-" + original;
    ObjectNode def = JsonRpc.MAPPER.createObjectNode().put("name", exposed).put("description", "test tool " + original);
    def.putObject("inputSchema").put("type", "object");
    // a field no schema record knows: must survive the relay
    def.putObject("execution").put("taskSupport", "optional");
    tools.add(new CatalogEntry(exposed, gatewayId, gatewayName, original, exposed, def));
    return this;
  }

  public InMemoryCatalog upstreamPrompt(String gatewayId, String gatewayName, String original) {
    String exposed = gatewayName + "-" + original;
    prompts.add(new CatalogEntry(exposed, gatewayId, gatewayName, original, exposed,
        JsonRpc.MAPPER.createObjectNode().put("name", exposed)));
    return this;
  }

  /** A local prompt whose one required argument is {@code who}. */
  public InMemoryCatalog localPrompt(String name, String template) {
    ObjectNode def = JsonRpc.MAPPER.createObjectNode().put("name", name);
    def.putArray("arguments").addObject().put("name", "who").put("required", true);
    prompts.add(new CatalogEntry(name, null, null, name, name, def));
    localBodies.put(name, template);
    return this;
  }

  public InMemoryCatalog upstreamResource(String gatewayId, String gatewayName, String uri) {
    resources.add(new CatalogEntry(uri, gatewayId, gatewayName, uri, uri,
        JsonRpc.MAPPER.createObjectNode().put("uri", uri).put("name", uri)));
    return this;
  }

  public InMemoryCatalog localResource(String uri, String text) {
    resources.add(new CatalogEntry(uri, null, null, uri, uri, JsonRpc.MAPPER.createObjectNode().put("uri", uri)));
    localBodies.put(uri, text);
    return this;
  }

  public InMemoryCatalog template(String gatewayId, String gatewayName, String uriTemplate) {
    templates.add(new CatalogEntry(uriTemplate, gatewayId, gatewayName, uriTemplate, uriTemplate,
        JsonRpc.MAPPER.createObjectNode().put("uriTemplate", uriTemplate)));
    return this;
  }

  /** A virtual server made of the entries with these ids (exposed names here). */
  public InMemoryCatalog server(String id, String... entryIds) {
    servers.put(id, Set.of(entryIds));
    return this;
  }

  private List<CatalogEntry> in(Scope scope, List<CatalogEntry> all) {
    if (scope.isAll()) {
      return List.copyOf(all);
    }
    Set<String> members = servers.getOrDefault(scope.serverId(), Set.of());
    return all.stream().filter(e -> members.contains(e.id())).toList();
  }

  private static Optional<CatalogEntry> named(List<CatalogEntry> entries, String name) {
    return entries.stream().filter(e -> e.exposedName().equals(name)).findFirst();
  }

  @Override
  public List<CatalogEntry> tools(Scope scope) {
    return in(scope, tools);
  }

  @Override
  public Optional<CatalogEntry> tool(Scope scope, String exposedName) {
    return named(tools(scope), exposedName);
  }

  @Override
  public List<CatalogEntry> prompts(Scope scope) {
    return in(scope, prompts);
  }

  @Override
  public Optional<CatalogEntry> prompt(Scope scope, String exposedName) {
    return named(prompts(scope), exposedName);
  }

  @Override
  public List<CatalogEntry> resources(Scope scope) {
    return in(scope, resources);
  }

  @Override
  public Optional<CatalogEntry> resource(Scope scope, String uri) {
    Optional<CatalogEntry> exact = named(resources(scope), uri);
    if (exact.isPresent()) {
      return exact;
    }
    // templates of the form prefix{var}: enough for these tests
    return resourceTemplates(scope).stream()
        .filter(t -> uri.startsWith(t.originalName().substring(0, t.originalName().indexOf('{')))).findFirst();
  }

  @Override
  public List<CatalogEntry> resourceTemplates(Scope scope) {
    return in(scope, templates);
  }

  @Override
  public boolean serverExists(String serverId) {
    return servers.containsKey(serverId);
  }

  @Override
  public ObjectNode renderLocalPrompt(CatalogEntry prompt, ObjectNode arguments) {
    if (!arguments.hasNonNull("who")) {
      throw new IllegalArgumentException("prompt '" + prompt.exposedName() + "' needs argument 'who'");
    }
    ObjectNode result = JsonRpc.MAPPER.createObjectNode();
    result.putArray("messages").addObject().put("role", "user").putObject("content").put("type", "text")
        .put("text", localBodies.get(prompt.id()).replace("{{ who }}", arguments.get("who").asText()));
    return result;
  }

  @Override
  public ObjectNode readLocalResource(CatalogEntry resource) {
    ObjectNode result = JsonRpc.MAPPER.createObjectNode();
    result.putArray("contents").addObject().put("uri", resource.originalName()).put("text", localBodies.get(resource.id()));
    return result;
  }
}
