package dev.mcpgw.gateway.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * One stored tool, resource, resource template or prompt.
 *
 * @param id the registry id; kept across refreshes while the upstream still offers an item with the same key
 * @param kind what it is
 * @param gatewayId the owning upstream, or {@code null} for a gateway-local prompt or resource
 * @param key its name, URI or URI template
 * @param definition the MCP definition exactly as discovered or posted
 * @param body the Jinja template of a local prompt or the text of a local resource; {@code null} for upstream items
 * @param createdAt when it was first stored
 * @param ownership a local item's tenant and visibility; for an upstream's item {@code null}: it inherits its
 *     upstream's ({@link StoredGateway#ownership()})
 */
public record StoredItem(
    String id, ItemKind kind, String gatewayId, String key, ObjectNode definition, String body, Instant createdAt,
    Ownership ownership) {
  /** An item without an owner of its own (an upstream's). */
  public StoredItem(String id, ItemKind kind, String gatewayId, String key, ObjectNode definition, String body,
      Instant createdAt) {
    this(id, kind, gatewayId, key, definition, body, createdAt, null);
  }
}
