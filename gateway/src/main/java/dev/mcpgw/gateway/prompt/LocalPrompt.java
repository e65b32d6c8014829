package dev.mcpgw.gateway.prompt;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgw.gateway.store.Ownership;
import dev.mcpgw.gateway.store.StoredItem;
import java.util.Set;
import java.time.Instant;

/** A gateway-local prompt as the admin API returns it. */
public record LocalPrompt(String id, String name, String description, JsonNode arguments, String template, Instant createdAt,
    String tenant, String visibility, Set<String> sharedWith) {
  static LocalPrompt of(StoredItem item) {
    Ownership o = item.ownership() == null ? Ownership.DEFAULT_PRIVATE : item.ownership();
    return new LocalPrompt(item.id(), item.key(), item.definition().path("description").asText(null),
        item.definition().path("arguments"), item.body(), item.createdAt(), o.tenantId(), o.visibility().wireName(),
        o.sortedSharedWith());
  }
}
