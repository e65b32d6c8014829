package dev.mcpgw.gateway.catalog;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;

/**
 * What the gateway offers downstream, per {@link Scope}: the read side of the registry that the MCP dispatcher uses
 * to list and to route. Implementations are fast (cached) and thread-safe; the registry invalidates them on writes.
 */
public interface Catalog {

  /** The scope's tools, in a stable order. An unknown virtual server yields an empty list. */
  List<CatalogEntry> tools(Scope scope);

  /** The tool clients call {@code exposedName} in this scope. */
  Optional<CatalogEntry> tool(Scope scope, String exposedName);

  List<CatalogEntry> prompts(Scope scope);

  Optional<CatalogEntry> prompt(Scope scope, String exposedName);

  List<CatalogEntry> resources(Scope scope);

  /** The resource with this URI, or else the first resource template whose URI template matches it. */
  Optional<CatalogEntry> resource(Scope scope, String uri);

  List<CatalogEntry> resourceTemplates(Scope scope);

  /** Whether a virtual server with this id exists, whoever owns it. */
  boolean serverExists(String serverId);

  /**
   * Whether the scope's virtual server exists and its audience sees it (so {@code /servers/{id}/mcp} answers 404 to
   * everyone else, as if it did not exist).
   */
  default boolean serverVisible(Scope scope) {
    return !scope.isAll() && serverExists(scope.serverId());
  }

  /**
   * Renders a gateway-local prompt ({@link CatalogEntry#isLocal()}) into a {@code prompts/get} result.
   *
   * @throws IllegalArgumentException naming the argument when a required one is missing
   */
  ObjectNode renderLocalPrompt(CatalogEntry prompt, ObjectNode arguments);

  /** Reads a gateway-local resource into a {@code resources/read} result. */
  ObjectNode readLocalResource(CatalogEntry resource);
}
