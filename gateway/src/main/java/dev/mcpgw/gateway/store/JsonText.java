package dev.mcpgw.gateway.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/** Converts the JSON text columns to Jackson trees and back. Columns are written by this class only, so a parse failure is a corrupted row. */
public final class JsonText {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonText() {}

  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a registry value", e);
    }
  }

  static ObjectNode object(String text) {
    if (text == null) {
      return null;
    }
    try {
      JsonNode node = MAPPER.readTree(text);
      if (!(node instanceof ObjectNode o)) {
        throw new IllegalStateException("registry column holds JSON that is not an object");
      }
      return o;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("registry column holds invalid JSON", e);
    }
  }

  static List<String> stringList(String text) {
    return read(text, new TypeReference<List<String>>() {});
  }

  static Map<String, String> stringMap(String text) {
    return read(text, new TypeReference<Map<String, String>>() {});
  }

  private static <T> T read(String text, TypeReference<T> type) {
    try {
      return MAPPER.readValue(text, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("registry column holds invalid JSON", e);
    }
  }
}
