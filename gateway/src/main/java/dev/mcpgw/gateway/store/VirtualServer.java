package dev.mcpgw.gateway.store;

import java.time.Instant;
import java.util.List;

/**
 * A curated subset of the catalog served at {@code /servers/{id}/mcp}: every definition of the listed upstreams plus
 * the listed tools, resources and prompts.
 */
public record VirtualServer(
    String id,
    String name,
    String description,
    List<String> gateways,
    List<String> tools,
    List<String> resources,
    List<String> prompts,
    Instant createdAt) {
  public VirtualServer {
    gateways = List.copyOf(gateways);
    tools = List.copyOf(tools);
    resources = List.copyOf(resources);
    prompts = List.copyOf(prompts);
  }
}
