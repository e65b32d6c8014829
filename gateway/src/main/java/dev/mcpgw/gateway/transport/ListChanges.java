package dev.mcpgw.gateway.transport;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.catalog.Catalog;
import dev.mcpgw.gateway.catalog.Scope;
import dev.mcpgw.gateway.jsonrpc.JsonRpc;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Sends {@code notifications/{tools,resources,prompts}/list_changed} to the open streams of every scope whose lists
 * changed since the last round. It compares the catalog itself, after the registry stored what an upstream announced
 * (a client re-listing on the upstream's notification alone could still see the old list), and it notices writes by
 * other gateway instances sharing the database as well.
 */
final class ListChanges {
  private final Catalog catalog;
  private final Map<Scope, Fingerprint> seen = new ConcurrentHashMap<>();

  private record Fingerprint(int tools, int resources, int prompts) {}

  ListChanges(Catalog catalog) {
    this.catalog = catalog;
  }

  void round(List<McpSession> streaming) {
    Map<Scope, List<McpSession>> byScope = streaming.stream().collect(Collectors.groupingBy(McpSession::scope));
    seen.keySet().removeIf(scope -> !byScope.containsKey(scope));
    byScope.forEach((scope, sessions) -> {
      Fingerprint now = new Fingerprint(catalog.tools(scope).hashCode(),
          31 * catalog.resources(scope).hashCode() + catalog.resourceTemplates(scope).hashCode(),
          catalog.prompts(scope).hashCode());
      Fingerprint before = seen.put(scope, now);
      if (before == null) {
        return;
      }
      notifyIf(before.tools() != now.tools(), "notifications/tools/list_changed", sessions);
      notifyIf(before.resources() != now.resources(), "notifications/resources/list_changed", sessions);
      notifyIf(before.prompts() != now.prompts(), "notifications/prompts/list_changed", sessions);
    });
  }

  private static void notifyIf(boolean changed, String method, List<McpSession> sessions) {
    if (changed) {
      ObjectNode n = JsonRpc.notification(method, null);
      sessions.forEach(s -> s.send(n));
    }
  }
}
