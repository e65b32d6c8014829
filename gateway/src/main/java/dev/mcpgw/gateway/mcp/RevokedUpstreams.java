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
  /**
   * The upstreams each session held that its scope did not see at the last sweep. An upstream is dropped only when it
   * is missing at two sweeps in a row: while an upstream is rediscovered (on its own list_changed), a snapshot of the
   * catalog can briefly hold none of its items, and dropping then would end a live subscription. Rebuilt at every
   * sweep from the sessions alive, so it holds nothing of ended ones.
   */
  private Map<ClientSession, Set<String>> missingBefore = Map.of();

  RevokedUpstreams(Catalog catalog, ClientSessions sessions) {
    this.catalog = catalog;
    this.sessions = sessions;
  }

  /** One pass over every client session; the catalog is asked once per scope. */
  void sweep() {
    Map<Scope, Set<String>> inScope = new HashMap<>();
    Map<ClientSession, Set<String>> missing = new HashMap<>();
    for (ClientSession session : sessions.all()) {
      if (session.upstreams().isEmpty()) {
        continue;
      }
      Set<String> visible = inScope.computeIfAbsent(session.scope(), this::upstreamsOf);
      Set<String> before = missingBefore.getOrDefault(session, Set.of());
      for (String gatewayId : List.copyOf(session.upstreams().keySet())) {
        if (visible.contains(gatewayId)) {
          continue;
        }
        if (before.contains(gatewayId)) {
          session.dropUpstream(gatewayId);
        } else {
          missing.computeIfAbsent(session, s -> new HashSet<>()).add(gatewayId);
        }
      }
    }
    missingBefore = missing;
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
