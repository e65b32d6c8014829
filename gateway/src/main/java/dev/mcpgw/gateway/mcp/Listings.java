package dev.mcpgw.gateway.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.catalog.CatalogEntry;
import dev.mcpgw.gateway.jsonrpc.JsonRpc;
import java.util.List;

/** The one shape of every {@code *\/list} answer: the catalog's definitions, as discovered, under one field. */
final class Listings {
  private Listings() {}

  /** {@code {"<field>": [definitions...]}}; the gateway serves whole lists, so a cursor is refused. */
  static JsonNode of(String field, List<CatalogEntry> entries, ObjectNode params) {
    Params.noCursor(params);
    ObjectNode result = JsonRpc.MAPPER.createObjectNode();
    ArrayNode items = result.putArray(field);
    entries.forEach(e -> items.add(e.definition()));
    return result;
  }
}
