package dev.mcpgw.gateway.plugin.pii;

import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One kind of sensitive text: a pattern, an optional check of each hit (the Luhn sum for card numbers) and the text
 * that replaces it. Only {@code group} of each hit is replaced, so that {@code password=hunter2} keeps its key.
 */
record Detector(String type, Pattern pattern, int group, Predicate<String> accept, String replacement) {

  Detector(String type, Pattern pattern, String replacement) {
    this(type, pattern, 0, s -> true, replacement);
  }

  /** {@code text} with every accepted hit replaced; the same instance when there is none. */
  String mask(String text) {
    Matcher m = pattern.matcher(text);
    StringBuilder out = null;
    int last = 0;
    while (m.find()) {
      String hit = m.group(group);
      if (hit == null || !accept.test(hit)) {
        continue;
      }
      if (out == null) {
        out = new StringBuilder(text.length());
      }
      out.append(text, last, m.start(group)).append(replacement);
      last = m.end(group);
    }
    return out == null ? text : out.append(text, last, text.length()).toString();
  }
}
