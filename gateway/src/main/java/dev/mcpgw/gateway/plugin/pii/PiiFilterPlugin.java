package dev.mcpgw.gateway.plugin.pii;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.mcpgw.gateway.plugin.Hook;
import dev.mcpgw.gateway.plugin.HookContext;
import dev.mcpgw.gateway.plugin.Plugin;
import dev.mcpgw.gateway.plugin.PluginResult;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Masks personal data and secrets. On pre hooks it masks every string of {@code arguments}, at any depth; on post
 * hooks it masks the text the client reads in {@code result}: every {@code text} field (text content of tool results,
 * prompt messages, resource contents) and every string of {@code structuredContent}. Anywhere in either, the whole
 * value of a sensitive key ({@code password}, {@code api_key}, ...) is replaced. It works on the chain's private
 * copy of the payload and reports a modification only when it masked something.
 */
final class PiiFilterPlugin implements Plugin {
  static final Set<Hook> HOOKS = Set.copyOf(EnumSet.of(Hook.TOOL_PRE_INVOKE, Hook.TOOL_POST_INVOKE,
      Hook.PROMPT_PRE_FETCH, Hook.PROMPT_POST_FETCH, Hook.RESOURCE_POST_FETCH));

  private final List<Detector> detectors;
  private final List<String> sensitiveKeys;
  private final TextNode keyReplacement;

  /**
   * @param detectors what to mask in strings, in running order
   * @param sensitiveKeys normalised key names (lower case, no {@code _} or {@code -}) whose values are replaced
   * @param keyReplacement what replaces such a value
   */
  PiiFilterPlugin(List<Detector> detectors, List<String> sensitiveKeys, String keyReplacement) {
    this.detectors = List.copyOf(detectors);
    this.sensitiveKeys = sensitiveKeys.stream().map(PiiFilterPlugin::normalise).toList();
    this.keyReplacement = TextNode.valueOf(keyReplacement);
  }

  @Override
  public Set<Hook> hooks() {
    return HOOKS;
  }

  @Override
  public boolean modifiesPayload() {
    return true;
  }

  @Override
  public PluginResult apply(Hook hook, HookContext context, ObjectNode payload) {
    boolean pre = hook == Hook.TOOL_PRE_INVOKE || hook == Hook.PROMPT_PRE_FETCH;
    JsonNode target = payload.get(pre ? "arguments" : "result");
    boolean changed = target != null && (target.isContainerNode() && mask(target, pre));
    if (target != null && target.isTextual()) {
      String masked = maskText(target.asText());
      if (!masked.equals(target.asText())) {
        payload.put(pre ? "arguments" : "result", masked);
        changed = true;
      }
    }
    return changed ? PluginResult.modified(payload) : PluginResult.proceed();
  }

  /**
   * Masks {@code node}'s children in place.
   *
   * @param allStrings whether every string is masked, or only {@code text} fields and {@code structuredContent}
   * @return whether anything changed
   */
  private boolean mask(JsonNode node, boolean allStrings) {
    boolean changed = false;
    if (node instanceof ObjectNode object) {
      for (Map.Entry<String, JsonNode> field : object.properties()) {
        String key = field.getKey();
        JsonNode value = field.getValue();
        if (isSensitiveKey(key)) {
          if (!value.isNull() && !keyReplacement.equals(value)) {
            field.setValue(keyReplacement);
            changed = true;
          }
        } else if (value.isTextual()) {
          if (allStrings || "text".equals(key)) {
            changed |= replace(field, value.asText());
          }
        } else if (value.isContainerNode()) {
          changed |= mask(value, allStrings || "structuredContent".equals(key));
        }
      }
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        JsonNode item = array.get(i);
        if (item.isTextual() && allStrings) {
          String masked = maskText(item.asText());
          if (!masked.equals(item.asText())) {
            array.set(i, TextNode.valueOf(masked));
            changed = true;
          }
        } else if (item.isContainerNode()) {
          changed |= mask(item, allStrings);
        }
      }
    }
    return changed;
  }

  private boolean replace(Map.Entry<String, JsonNode> field, String text) {
    String masked = maskText(text);
    if (masked.equals(text)) {
      return false;
    }
    field.setValue(TextNode.valueOf(masked));
    return true;
  }

  /** {@code text} with every detector's hits replaced. */
  String maskText(String text) {
    String out = text;
    int digits = Detector.digits(text);
    for (Detector d : detectors) {
      String masked = d.mask(out, digits);
      if (masked != out) {
        out = masked;
        digits = Detector.digits(out); // a replacement may hold digits: the pre-checks must see the current text
      }
    }
    return out;
  }

  private boolean isSensitiveKey(String key) {
    String k = normalise(key);
    for (String s : sensitiveKeys) {
      if (k.endsWith(s)) {
        return true;
      }
    }
    return false;
  }

  static String normalise(String key) {
    return key.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
  }
}
