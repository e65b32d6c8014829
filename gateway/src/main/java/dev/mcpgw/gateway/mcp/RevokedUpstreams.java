package dev.mcpgw.gateway.mcp;

import dev.mcpgw.gateway.catalog.Catalog;
import dev.mcpgw.gateway.catalog.CatalogEntry;
import dev.mcpgw.gateway.catalog.Scope;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Closes the upstream sessions a client holds at upstreams its scope no longer sees: made private or unshared by a
 * platform admin, deleted, or no longer visible to the owner of the virtual server the client is on. What such a
 * session sends on its own (log messages, resource updates) goes straight to the client, so visibility decided at
 * call time alone would let an upstream keep talking to a tenant it was taken from until that client's session ends.
 */
final class RevokedUpstreams {
  private final Catalog catalog;
  private final ClientSessions sessions;

  RevokedUpstreams(Catalog catalog, ClientSessions sessions) {
    this.catalog = catalog;
    this.sessions = sessions;
  }

  /** One pass over every client session; the catalog is asked once per scope. */
  void sweep() {
    Map<Scope, Set<String>> inScope = new HashMap<>();
    for (ClientSession session : sessions.all()) {
      if (session.upstreams().isEmpty()) {
        continue;
      }
      Set<String> visible = inScope.computeIfAbsent(session.scope(), this::upstreamsOf);
      List.copyOf(session.upstreams().keySet()).stream()
          .filter(gatewayId -> !visible.contains(gatewayId))
          .forEach(session::dropUpstream);
    }
  }

  /** The upstreams behind what the scope sees (an upstream that offers nothing in it is not needed there either). */
  private Set<String> upstreamsOf(Scope scope) {
    Set<String> ids = new HashSet<>();
    Stream.of(catalog.tools(scope), catalog.resources(scope), catalog.resourceTemplates(scope), catalog.prompts(scope))
        .flatMap(List::stream)
        .filter(e -> !e.isLocal())
        .map(CatalogEntry::gatewayId)
        .forEach(ids::add);
    return ids;
  }
}
