package dev.mcpgw.gateway.prompt;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgw.gateway.store.StoredItem;
import java.time.Instant;

/** A gateway-local prompt as the admin API returns it. */
public record LocalPrompt(String id, String name, String description, JsonNode arguments, String template, Instant createdAt) {
  static LocalPrompt of(StoredItem item) {
    return new LocalPrompt(item.id(), item.key(), item.definition().path("description").asText(null),
        item.definition().path("arguments"), item.body(), item.createdAt());
  }
}
