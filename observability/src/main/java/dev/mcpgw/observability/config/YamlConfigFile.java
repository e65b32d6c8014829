package dev.mcpgw.observability.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code config/observability.yaml}: parses it, substitutes {@code ${VAR}} and {@code ${VAR:-default}} from the
 * environment, and rejects keys the loader does not know, so a typo fails instead of being ignored.
 */
final class YamlConfigFile {

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

  private YamlConfigFile() {}

  /** The names of the environment variables the file refers to as {@code ${VAR}} or {@code ${VAR:-default}}. */
  static Set<String> referencedVariables(Path file) {
    Set<String> names = new LinkedHashSet<>();
    try {
      Matcher m = PLACEHOLDER.matcher(Files.readString(file, StandardCharsets.UTF_8));
      while (m.find()) {
        names.add(m.group(1));
      }
    } catch (IOException e) {
      // read() reports an unreadable file; here it just refers to nothing
    }
    return names;
  }

  /** The {@code observability} mapping with placeholders substituted; a missing node when the file has none. */
  static JsonNode read(Path file, Map<String, String> env) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ObservabilityConfigException("cannot read observability configuration file " + file + ": " + e, e);
    }
    JsonNode doc;
    try {
      doc = new ObjectMapper(new YAMLFactory()).readTree(text);
    } catch (JsonProcessingException e) {
      // The parser's own message quotes the source text, which may hold credentials: give only the place.
      var where = e.getLocation();
      throw new ObservabilityConfigException("observability configuration file " + file + " is not valid YAML"
          + (where == null ? "" : " (line " + where.getLineNr() + ", column " + where.getColumnNr() + ")")
          + ": " + e.getOriginalMessage().lines().findFirst().orElse(""));
    }
    if (doc == null || doc.isMissingNode() || doc.isNull()) {
      return MissingNode.getInstance();
    }
    JsonNode root = doc.path("observability");
    if (!doc.isObject() || root.isMissingNode()) {
      throw new ObservabilityConfigException(
          "observability configuration file " + file + " must have a top-level 'observability:' mapping");
    }
    if (root.isNull()) {
      return MissingNode.getInstance();
    }
    if (!root.isObject()) {
      throw new ObservabilityConfigException("observability in " + file + " must be a mapping of settings");
    }
    JsonNode substituted = substitute(root, env);
    checkKnownPaths(substituted, "observability");
    return substituted;
  }

  /** Replaces {@code ${VAR}} and {@code ${VAR:-default}} in every string scalar; an unset variable becomes empty. */
  static JsonNode substitute(JsonNode node, Map<String, String> env) {
    if (node.isTextual()) {
      Matcher m = PLACEHOLDER.matcher(node.asText());
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        String value = env.get(m.group(1));
        if (value == null || value.isEmpty()) {
          value = m.group(2) == null ? "" : m.group(2);
        }
        m.appendReplacement(out, Matcher.quoteReplacement(value));
      }
      m.appendTail(out);
      return TextNode.valueOf(out.toString());
    }
    if (node.isObject()) {
      var copy = JsonNodeFactory.instance.objectNode();
      node.properties().forEach(e -> copy.set(e.getKey(), substitute(e.getValue(), env)));
      return copy;
    }
    if (node.isArray()) {
      var copy = JsonNodeFactory.instance.arrayNode();
      node.forEach(e -> copy.add(substitute(e, env)));
      return copy;
    }
    return node;
  }

  private static void checkKnownPaths(JsonNode node, String path) {
    Set<String> known = new LinkedHashSet<>(ConfigKeys.YAML);
    if (known.contains(path + ".*") || known.contains(path)) {
      return;
    }
    if (node.isObject()) {
      node.properties().forEach(e -> checkKnownPaths(e.getValue(), path + "." + e.getKey()));
      return;
    }
    if (node.isArray() && known.stream().anyMatch(k -> k.startsWith(path + "[]."))) {
      node.forEach(e -> checkKnownPaths(e, path + "[]"));
      return;
    }
    throw new ObservabilityConfigException("unknown observability setting '" + path
        + "'; see docs/configuration.md for the accepted keys");
  }
}
