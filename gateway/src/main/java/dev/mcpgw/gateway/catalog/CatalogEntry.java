package dev.mcpgw.gateway.catalog;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One tool, prompt, resource or resource template as offered downstream.
 *
 * @param id the registry id (stable across restarts; the {@code tool.id} span attribute)
 * @param gatewayId the upstream that owns it, or {@code null} for a gateway-local prompt or resource
 * @param gatewayName that upstream's registered name, or {@code null}
 * @param originalName the name (or URI, or URI template) as the upstream knows it
 * @param exposedName the name (or URI) clients see in this scope
 * @param definition the MCP definition exactly as discovered (unknown fields kept), with {@code name} set to
 *     {@code exposedName}
 */
public record CatalogEntry(
    String id, String gatewayId, String gatewayName, String originalName, String exposedName, ObjectNode definition) {

  public boolean isLocal() {
    return gatewayId == null;
  }
}
