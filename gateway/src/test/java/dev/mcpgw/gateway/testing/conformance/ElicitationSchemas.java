package dev.mcpgw.gateway.testing.conformance;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The requested schemas of the elicitation scenarios of MCP 2025-11-25: default values of every primitive type
 * (SEP-1034) and the five enum forms (SEP-1330). Numbers keep their JSON type (30 is an integer, 95.5 a number), as
 * the scenarios compare them strictly.
 */
final class ElicitationSchemas {
  private ElicitationSchemas() {}

  static Map<String, Object> withDefaults() {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("name", Map.of("type", "string", "description", "User name", "default", "John Doe"));
    properties.put("age", Map.of("type", "integer", "description", "User age", "default", 30));
    properties.put("score", Map.of("type", "number", "description", "User score", "default", 95.5));
    properties.put("status", Map.of("type", "string", "description", "User status",
        "enum", List.of("active", "inactive", "pending"), "default", "active"));
    properties.put("verified", Map.of("type", "boolean", "description", "Verification status", "default", true));
    return object(properties);
  }

  static Map<String, Object> enums() {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("untitledSingle", Map.of("type", "string", "description", "Select one option",
        "enum", List.of("option1", "option2", "option3")));
    properties.put("titledSingle", Map.of("type", "string", "description", "Select one option with titles",
        "oneOf", titled("value1", "First Option", "value2", "Second Option", "value3", "Third Option")));
    properties.put("legacyEnum", Map.of("type", "string", "description", "Select one option (legacy)",
        "enum", List.of("opt1", "opt2", "opt3"), "enumNames", List.of("Option One", "Option Two", "Option Three")));
    properties.put("untitledMulti", Map.of("type", "array", "description", "Select multiple options",
        "minItems", 1, "maxItems", 3,
        "items", Map.of("type", "string", "enum", List.of("option1", "option2", "option3"))));
    properties.put("titledMulti", Map.of("type", "array", "description", "Select multiple options with titles",
        "minItems", 1, "maxItems", 3,
        "items", Map.of("anyOf",
            titled("value1", "First Choice", "value2", "Second Choice", "value3", "Third Choice"))));
    return object(properties);
  }

  private static Map<String, Object> object(Map<String, Object> properties) {
    return Map.of("type", "object", "properties", properties, "required", List.of());
  }

  /** {@code [{const: v, title: t}, ...]} from alternating values and titles. */
  private static List<Map<String, String>> titled(String... valuesAndTitles) {
    List<Map<String, String>> out = new ArrayList<>();
    for (int i = 0; i < valuesAndTitles.length; i += 2) {
      out.add(Map.of("const", valuesAndTitles[i], "title", valuesAndTitles[i + 1]));
    }
    return out;
  }
}
