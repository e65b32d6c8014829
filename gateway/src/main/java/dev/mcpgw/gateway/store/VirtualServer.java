package dev.mcpgw.gateway.store;

import java.time.Instant;
import java.util.List;

/**
 * A curated subset of the catalog served at {@code /servers/{id}/mcp}: every definition of the listed upstreams plus
 * the listed tools, resources and prompts, owned by a tenant ({@code ownership}).
 */
public record VirtualServer(
    String id,
    String name,
    String description,
    List<String> gateways,
    List<String> tools,
    List<String> resources,
    List<String> prompts,
    Instant createdAt,
    Ownership ownership) {
  /** A server of tenant {@code default}, private (as rows written before tenancy). */
  public VirtualServer(String id, String name, String description, List<String> gateways, List<String> tools,
      List<String> resources, List<String> prompts, Instant createdAt) {
    this(id, name, description, gateways, tools, resources, prompts, createdAt, Ownership.DEFAULT_PRIVATE);
  }

  public VirtualServer {
    ownership = ownership == null ? Ownership.DEFAULT_PRIVATE : ownership;
    gateways = List.copyOf(gateways);
    tools = List.copyOf(tools);
    resources = List.copyOf(resources);
    prompts = List.copyOf(prompts);
  }
}
