package dev.mcpgw.gateway.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.store.ItemKind;
import dev.mcpgw.gateway.upstream.RequestOptions;
import dev.mcpgw.gateway.upstream.UpstreamClient;
import dev.mcpgw.gateway.upstream.UpstreamException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Lists what an upstream offers, following {@code nextCursor}, for the capabilities its initialize result declared
 * (a kind whose capability is absent is discovered as empty, never asked for).
 */
final class Discovery {
  /** A cursor loop that never ends is an upstream bug; stop it rather than spin. */
  static final int MAX_PAGES = 200;

  private Discovery() {}

  static Map<ItemKind, List<ObjectNode>> discover(UpstreamClient client, Set<ItemKind> kinds, Duration timeout) {
    ObjectNode init = client.initializeResult();
    JsonNode capabilities = init == null ? JsonNodeFactory.instance.objectNode() : init.path("capabilities");
    Map<ItemKind, List<ObjectNode>> out = new EnumMap<>(ItemKind.class);
    for (ItemKind kind : kinds) {
      out.put(kind, capabilities.has(kind.capability()) ? list(client, kind, timeout) : List.of());
    }
    return out;
  }

  private static List<ObjectNode> list(UpstreamClient client, ItemKind kind, Duration timeout) {
    List<ObjectNode> items = new ArrayList<>();
    Set<String> seenCursors = new HashSet<>();
    String cursor = null;
    for (int page = 0; page < MAX_PAGES; page++) {
      ObjectNode params = JsonNodeFactory.instance.objectNode();
      if (cursor != null) {
        params.put("cursor", cursor);
      }
      JsonNode result = UpstreamCalls.await(
          client.request(kind.listMethod(), params, RequestOptions.idempotent(timeout)), client.name(), timeout);
      JsonNode array = result == null ? null : result.get(kind.resultField());
      if (array == null || !array.isArray()) {
        throw new UpstreamException(client.name(), UpstreamException.Kind.PROTOCOL, "upstream '" + client.name()
            + "' answered " + kind.listMethod() + " without a '" + kind.resultField() + "' array");
      }
      for (JsonNode item : array) {
        if (item instanceof ObjectNode o) {
          items.add(o);
        }
      }
      JsonNode next = result.get("nextCursor");
      if (next == null || next.isNull() || next.asText().isEmpty() || !seenCursors.add(next.asText())) {
        return items;
      }
      cursor = next.asText();
    }
    return items;
  }
}
