package dev.mcpgw.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads and validates the fields of a JSON request body; every failure is a 400 naming the field. */
public final class RequestFields {
  /** Names of upstreams, virtual servers and local prompts: they become parts of MCP tool names. */
  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
  public static final String NAME_RULE = "1-64 characters: letters, digits, '_', '.', '-', starting with a letter or digit";

  private final ObjectNode body;

  private RequestFields(ObjectNode body) {
    this.body = body;
  }

  /**
   * @throws ApiException naming the first field of {@code body} not in {@code allowed}
   */
  public static RequestFields of(ObjectNode body, Set<String> allowed) {
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!allowed.contains(f)) {
        throw ApiException.badRequest(f, "unknown field '" + f + "'; allowed: " + String.join(", ", new java.util.TreeSet<>(allowed)));
      }
    }
    return new RequestFields(body);
  }

  public boolean has(String field) {
    JsonNode n = body.get(field);
    return n != null && !n.isNull();
  }

  public String requiredString(String field) {
    String s = optionalString(field);
    if (s == null || s.isBlank()) {
      throw ApiException.badRequest(field, "'" + field + "' is required");
    }
    return s;
  }

  public String optionalString(String field) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isTextual()) {
      throw ApiException.badRequest(field, "'" + field + "' must be a string");
    }
    return n.asText();
  }

  /** A required name following {@link #NAME}. */
  public String name(String field) {
    String s = requiredString(field);
    if (!NAME.matcher(s).matches()) {
      throw ApiException.badRequest(field, "'" + field + "' is invalid; allowed: " + NAME_RULE);
    }
    return s;
  }

  public Boolean optionalBoolean(String field) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isBoolean()) {
      throw ApiException.badRequest(field, "'" + field + "' must be true or false");
    }
    return n.asBoolean();
  }

  /** An optional array of strings; empty when absent. */
  public List<String> stringList(String field) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      return List.of();
    }
    if (!n.isArray()) {
      throw ApiException.badRequest(field, "'" + field + "' must be an array of strings");
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n.size(); i++) {
      if (!n.get(i).isTextual()) {
        throw ApiException.badRequest(field + "[" + i + "]", "'" + field + "[" + i + "]' must be a string");
      }
      out.add(n.get(i).asText());
    }
    return out;
  }

  /** An optional object of string values; empty when absent. */
  public Map<String, String> stringMap(String field) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      return Map.of();
    }
    if (!n.isObject()) {
      throw ApiException.badRequest(field, "'" + field + "' must be an object of string values");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isTextual()) {
        throw ApiException.badRequest(field + "." + e.getKey(), "'" + field + "." + e.getKey() + "' must be a string");
      }
      out.put(e.getKey(), e.getValue().asText());
    }
    return out;
  }

  /** The raw node of an optional field, or {@code null}. */
  public JsonNode node(String field) {
    JsonNode n = body.get(field);
    return n == null || n.isNull() ? null : n;
  }
}
