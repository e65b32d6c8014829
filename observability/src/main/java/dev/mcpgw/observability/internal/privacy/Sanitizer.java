package dev.mcpgw.observability.internal.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.mcpgw.observability.config.PrivacyConfig.MaskPattern;
import dev.mcpgw.observability.config.PrivacyConfig;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributeType;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Masks sensitive data in strings and attribute sets. Returns the very same instance when nothing matched, so the
 * common case (no secrets) costs no copies; a short value found clean is remembered ({@link KnownCleanValues}), so
 * the values every span repeats cost a hash lookup instead of a scan. Never throws: a value it cannot
 * process is replaced whole rather than passed on unmasked.
 */
public final class Sanitizer {

  /** What a value under a sensitive key becomes. */
  static final String REDACTED = "[REDACTED]";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_JSON_DEPTH = 4;
  private static final int KEY_CACHE_LIMIT = 10_000;

  private final List<String> sensitiveFields;
  private final List<Rule> rules;
  private final Map<String, Boolean> keyCache = new ConcurrentHashMap<>();
  private final KnownCleanValues clean = new KnownCleanValues();

  private Sanitizer(List<String> sensitiveFields, List<Rule> rules) {
    this.sensitiveFields = sensitiveFields;
    this.rules = rules;
  }

  public static Sanitizer create(PrivacyConfig config) {
    List<String> fields = config.sensitiveFields().stream().map(Sanitizer::normalise).distinct().toList();
    List<Rule> rules = new ArrayList<>();
    if (!fields.isEmpty()) {
      // "key": "value" and key=value pairs inside text that is not parseable JSON (truncated payloads, log lines).
      String keys = fields.stream().map(Sanitizer::keyRegex).collect(Collectors.joining("|"));
      rules.add(new Rule(Pattern.compile("(?i)(\"(?:[^\"]{0,64}?[._-])?(?:" + keys
          + ")\"\\s*:\\s*)(?:\"(?:[^\"\\\\]|\\\\.)*\"?|[^,}\\]\\s]+)"), "$1\"" + REDACTED + "\"",
          t -> t.quote && t.colon));
    }
    for (MaskPattern p : config.maskPatterns()) {
      rules.add(new Rule(p.compile(), p.replacement(), RulePrefilters.forPattern(p.regex())));
    }
    return new Sanitizer(fields, List.copyOf(rules));
  }

  /** Whether values under this attribute or JSON key are replaced whole (case-insensitive, suffix-aware). */
  boolean isSensitiveKey(String key) {
    Boolean cached = keyCache.get(key);
    if (cached != null) {
      return cached;
    }
    String k = normalise(key);
    boolean sensitive = false;
    for (String f : sensitiveFields) {
      if (k.equals(f) || (k.endsWith(f) && isSeparator(k.charAt(k.length() - f.length() - 1)))) {
        sensitive = true;
        break;
      }
    }
    if (keyCache.size() < KEY_CACHE_LIMIT) {
      keyCache.put(key, sensitive);
    }
    return sensitive;
  }

  /** Masks a free-text value (patterns, and sensitive keys inside JSON text). Same instance if nothing matched. */
  String sanitize(String value) {
    return sanitize(value, 0);
  }

  /** Masks an attribute set. Same instance if nothing matched. */
  Attributes sanitize(Attributes attributes) {
    if (attributes.isEmpty()) {
      return attributes;
    }
    boolean[] changed = {false};
    attributes.forEach((key, value) -> {
      if (!changed[0] && sanitizeAttribute(key, value) != value) {
        changed[0] = true;
      }
    });
    if (!changed[0]) {
      return attributes;
    }
    AttributesBuilder builder = Attributes.builder();
    attributes.forEach((key, value) -> put(builder, key, sanitizeAttribute(key, value)));
    return builder.build();
  }

  private Object sanitizeAttribute(AttributeKey<?> key, Object value) {
    try {
      if (isSensitiveKey(key.getKey())) {
        return REDACTED.equals(value) ? value : REDACTED;
      }
      if (key.getType() == AttributeType.STRING) {
        return sanitize((String) value);
      }
      if (key.getType() == AttributeType.STRING_ARRAY) {
        @SuppressWarnings("unchecked")
        List<String> list = (List<String>) value;
        List<String> out = null;
        for (int i = 0; i < list.size(); i++) {
          String s = list.get(i);
          String m = sanitize(s);
          if (m != s && out == null) {
            out = new ArrayList<>(list);
          }
          if (out != null) {
            out.set(i, m);
          }
        }
        return out == null ? value : List.copyOf(out);
      }
      return value;
    } catch (RuntimeException e) {
      return REDACTED;
    }
  }

  @SuppressWarnings("unchecked")
  private static void put(AttributesBuilder builder, AttributeKey<?> key, Object value) {
    if (value instanceof String s && key.getType() != AttributeType.STRING) {
      builder.put(AttributeKey.stringKey(key.getKey()), s);
    } else {
      builder.put((AttributeKey<Object>) key, value);
    }
  }

  private String sanitize(String value, int depth) {
    if (value == null || value.isEmpty()) {
      return value;
    }
    // Only whole values are remembered: inside JSON text (depth > 0) nested JSON is scanned differently.
    boolean whole = depth == 0;
    if (whole && clean.contains(value)) {
      return value;
    }
    try {
      String result = sanitizeUncached(value, depth);
      if (whole && result == value) {
        clean.add(value);
      }
      return result;
    } catch (RuntimeException e) {
      return REDACTED;
    }
  }

  private String sanitizeUncached(String value, int depth) {
    String result = value;
    char first = firstNonBlank(value);
    if ((first == '{' || first == '[') && depth < MAX_JSON_DEPTH) {
      String json = sanitizeJson(value, depth);
      if (json != null) {
        return json;
      }
    }
    TextTraits traits = TextTraits.of(value);
    for (Rule rule : rules) {
      if (!rule.mayMatch.test(traits)) {
        continue;
      }
      Matcher m = rule.pattern.matcher(result);
      if (m.find()) {
        result = m.replaceAll(rule.replacement);
      }
    }
    return result;
  }

  /** Returns the masked JSON text, the same instance if nothing changed, or null when the text is not JSON. */
  private String sanitizeJson(String value, int depth) {
    JsonNode tree;
    try {
      tree = JSON.readTree(value);
    } catch (java.io.IOException e) {
      return null;
    }
    if (tree == null || !tree.isContainerNode()) {
      return null;
    }
    JsonNode masked = sanitizeNode(tree, depth);
    return masked == tree ? value : masked.toString();
  }

  /** Masks a JSON tree; the same node when nothing changed, else a masked copy (the input is not modified). */
  JsonNode sanitize(JsonNode node) {
    try {
      return sanitizeNode(node, 0);
    } catch (RuntimeException e) {
      return TextNode.valueOf(REDACTED);
    }
  }

  private JsonNode sanitizeNode(JsonNode node, int depth) {
    if (node.isObject()) {
      ObjectNode copy = null;
      var fields = node.properties().iterator();
      while (fields.hasNext()) {
        var e = fields.next();
        JsonNode child = e.getValue();
        JsonNode masked = isSensitiveKey(e.getKey())
            ? (child.isTextual() && REDACTED.equals(child.asText()) ? child : TextNode.valueOf(REDACTED))
            : sanitizeNode(child, depth);
        if (masked != child) {
          if (copy == null) {
            copy = ((ObjectNode) node).deepCopy();
          }
          copy.set(e.getKey(), masked);
        }
      }
      return copy == null ? node : copy;
    }
    if (node.isArray()) {
      ArrayNode copy = null;
      for (int i = 0; i < node.size(); i++) {
        JsonNode child = node.get(i);
        JsonNode masked = sanitizeNode(child, depth);
        if (masked != child) {
          if (copy == null) {
            copy = ((ArrayNode) node).deepCopy();
          }
          copy.set(i, masked);
        }
      }
      return copy == null ? node : copy;
    }
    if (node.isTextual()) {
      String s = node.asText();
      String m = sanitize(s, depth + 1);
      return m == s ? node : TextNode.valueOf(m);
    }
    return node;
  }

  private static char firstNonBlank(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!Character.isWhitespace(c)) {
        return c;
      }
    }
    return ' ';
  }

  /** A normalised field as a regex: '_' also matches '-', anything else literal. */
  private static String keyRegex(String field) {
    StringBuilder out = new StringBuilder();
    for (char c : field.toCharArray()) {
      out.append(c == '_' ? "[_-]" : Character.isLetterOrDigit(c) ? String.valueOf(c) : Pattern.quote(String.valueOf(c)));
    }
    return out.toString();
  }

  private static boolean isSeparator(char c) {
    return c == '.' || c == '_';
  }

  private static String normalise(String key) {
    return key.trim().toLowerCase(Locale.ROOT).replace('-', '_');
  }

  /** A masking rule and a cheap necessary condition for it to match (see {@link RulePrefilters}). */
  private record Rule(Pattern pattern, String replacement, Predicate<TextTraits> mayMatch) {}
}
