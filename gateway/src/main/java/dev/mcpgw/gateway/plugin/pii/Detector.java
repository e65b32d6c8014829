package dev.mcpgw.gateway.plugin.pii;

import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One kind of sensitive text: a pattern, an optional check of each hit (the Luhn sum for card numbers) and the text
 * that replaces it. Only {@code group} of each hit is replaced, so that {@code password=hunter2} keeps its key. A
 * cheap pre-check ({@code mayMatch}, given the text and its number of digits) skips the regular expression for the
 * common text that cannot hold a hit, which is most text.
 */
record Detector(
    String type, Pattern pattern, int group, Predicate<String> accept, PreCheck mayMatch, String replacement) {

  /** Whether a text can hold a hit at all; must never say no when it can. */
  @FunctionalInterface
  interface PreCheck {
    PreCheck ALWAYS = (text, digits) -> true;

    boolean mayMatch(String text, int digits);
  }

  Detector(String type, Pattern pattern, String replacement) {
    this(type, pattern, 0, s -> true, PreCheck.ALWAYS, replacement);
  }

  /** {@code text} with every accepted hit replaced; the same instance when there is none. */
  String mask(String text, int digits) {
    if (!mayMatch.mayMatch(text, digits)) {
      return text;
    }
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

  /** The number of ASCII digits in {@code text}, for the pre-checks. */
  static int digits(String text) {
    int n = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= '0' && c <= '9') {
        n++;
      }
    }
    return n;
  }
}
