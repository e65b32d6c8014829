package dev.mcpgw.gateway.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.config.Durations;
import dev.mcpgw.gateway.config.InvalidSettingException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a plugin's {@code config:} mapping. Every error is an {@link InvalidSettingException} (an
 * {@link IllegalArgumentException}) whose message starts with the full key path, e.g.
 * {@code plugins[2].config.limit: 'ten' is not ...}, so start-up fails with a line the operator can act on.
 */
public final class PluginOptions {
  private final String path;
  private final JsonNode node;

  private PluginOptions(String path, JsonNode node) {
    this.path = path;
    this.node = node;
  }

  /**
   * Options over {@code node} (a missing or null node counts as an empty mapping).
   *
   * @param path the key path of {@code node}, used as the prefix of every error
   * @throws InvalidSettingException when {@code node} is neither missing, null nor a mapping
   */
  public static PluginOptions of(String path, JsonNode node) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      return new PluginOptions(path, JsonNodeFactory.instance.objectNode());
    }
    if (!node.isObject()) {
      throw new InvalidSettingException(path, "must be a mapping of keys to values");
    }
    return new PluginOptions(path, node);
  }

  /** The key path of this mapping. */
  public String path() {
    return path;
  }

  /** The key path of {@code key} in this mapping. */
  public String pathOf(String key) {
    return path + "." + key;
  }

  /** The mapping's keys, in file order. */
  public Set<String> keys() {
    Set<String> keys = new LinkedHashSet<>();
    node.fieldNames().forEachRemaining(keys::add);
    return keys;
  }

  /** Whether {@code key} is present with a non-null value. */
  public boolean has(String key) {
    JsonNode v = node.get(key);
    return v != null && !v.isNull();
  }

  /** A private copy of the raw mapping. */
  public ObjectNode raw() {
    return ((ObjectNode) node).deepCopy();
  }

  /**
   * Fails on a key not in {@code allowed}, so that a typo does not silently fall back to a default.
   *
   * @throws InvalidSettingException naming the unknown key and the allowed ones
   */
  public PluginOptions allowOnly(String... allowed) {
    List<String> known = Arrays.asList(allowed);
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!known.contains(key)) {
        throw new InvalidSettingException(pathOf(key), "unknown key; allowed: " + String.join(", ", allowed));
      }
    }
    return this;
  }

  /** A string value, or {@code defaultValue} when absent. Numbers and booleans are taken as their text. */
  public String text(String key, String defaultValue) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return defaultValue;
    }
    if (!v.isValueNode()) {
      throw new InvalidSettingException(pathOf(key), "must be a single value, not a " + describe(v));
    }
    return v.asText();
  }

  /** A string value that must be present and not blank. */
  public String requiredText(String key, String allowedHint) {
    String v = text(key, null);
    if (v == null || v.isBlank()) {
      throw new InvalidSettingException(pathOf(key), "is required; allowed: " + allowedHint);
    }
    return v;
  }

  /** One of {@code allowed} (compared exactly), or {@code defaultValue} when absent. */
  public String oneOf(String key, String defaultValue, String... allowed) {
    String v = text(key, defaultValue);
    if (v != null && !Arrays.asList(allowed).contains(v)) {
      throw new InvalidSettingException(pathOf(key), "'" + v + "' is not one of " + String.join(", ", allowed));
    }
    return v;
  }

  /** An integer in {@code [min, max]}, or {@code defaultValue} when absent. */
  public int integer(String key, int defaultValue, int min, int max) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return defaultValue;
    }
    String allowed = "an integer from " + min + " to " + max;
    long n;
    if (v.isIntegralNumber() && v.canConvertToLong()) {
      n = v.asLong();
    } else if (v.isTextual() && v.asText().trim().matches("-?\\d{1,18}")) {
      n = Long.parseLong(v.asText().trim());
    } else {
      throw invalid(key, "'" + v.asText() + "' is not " + allowed);
    }
    if (n < min || n > max) {
      throw invalid(key, "'" + n + "' is not " + allowed);
    }
    return (int) n;
  }

  /** {@code true} or {@code false}, or {@code defaultValue} when absent. */
  public boolean bool(String key, boolean defaultValue) {
    String v = text(key, null);
    if (v == null) {
      return defaultValue;
    }
    return switch (v.trim()) {
      case "true" -> true;
      case "false" -> false;
      default -> throw invalid(key, "'" + v + "' is not one of true, false");
    };
  }

  /** A duration such as {@code 30s} or {@code 5m}, or {@code defaultValue} when absent. */
  public Duration duration(String key, Duration defaultValue) {
    String v = text(key, null);
    return v == null ? defaultValue : Durations.parse(pathOf(key), v);
  }

  /** A list of non-blank strings (a single string counts as a list of one); empty when absent. */
  public List<String> textList(String key) {
    JsonNode v = node.get(key);
    List<String> out = new ArrayList<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (v.isValueNode()) {
      v = JsonNodeFactory.instance.arrayNode().add(v);
    } else if (!v.isArray()) {
      throw invalid(key, "must be a list of strings, not a " + describe(v));
    }
    for (int i = 0; i < v.size(); i++) {
      JsonNode item = v.get(i);
      if (!item.isValueNode() || item.isNull() || item.asText().isBlank()) {
        throw new InvalidSettingException(pathOf(key) + "[" + i + "]", "must be a non-empty string");
      }
      out.add(item.asText());
    }
    return out;
  }

  /** The nested mapping under {@code key} (empty when absent). */
  public PluginOptions mapping(String key) {
    return of(pathOf(key), node.get(key));
  }

  /** The list of mappings under {@code key} (empty when absent). */
  public List<PluginOptions> mappings(String key) {
    JsonNode v = node.get(key);
    List<PluginOptions> out = new ArrayList<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (!v.isArray()) {
      throw invalid(key, "must be a list of mappings, not a " + describe(v));
    }
    for (int i = 0; i < v.size(); i++) {
      JsonNode item = v.get(i);
      if (!item.isObject()) {
        throw new InvalidSettingException(pathOf(key) + "[" + i + "]", "must be a mapping, not a " + describe(item));
      }
      out.add(new PluginOptions(pathOf(key) + "[" + i + "]", item));
    }
    return out;
  }

  /** An error about {@code key} for checks the readers above cannot express. */
  public InvalidSettingException invalid(String key, String message) {
    return new InvalidSettingException(pathOf(key), message);
  }

  /** An error about this whole mapping. */
  public InvalidSettingException invalid(String message) {
    return new InvalidSettingException(path, message);
  }

  static String describe(JsonNode v) {
    return v.isObject() ? "mapping" : v.isArray() ? "list" : v.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }
}
