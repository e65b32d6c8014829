package dev.mcpgw.observability.internal.privacy;

import dev.mcpgw.observability.config.PrivacyConfig;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Necessary conditions for masking patterns, checked on {@link TextTraits} before a regex runs. A condition may only
 * ever say "cannot match" when the regex truly cannot match: a wrong one would let data through unmasked. So the
 * built-in patterns have hand-written conditions, and an operator's pattern gets one only in the simple, provable
 * cases (a mandatory {@code @} or digit in a pattern without groups or alternatives); otherwise its regex always runs.
 */
final class RulePrefilters {

  private static final Predicate<TextTraits> ALWAYS = t -> true;
  /** Stand-ins in the scanned pattern: a {@code \d}, and any other escape or character class. */
  private static final char DIGIT = '\u0001';
  private static final char OTHER = '\u0002';

  /** In the order of {@link PrivacyConfig#DEFAULT_MASK_PATTERNS}. */
  private static final List<Predicate<TextTraits>> DEFAULTS = List.of(
      t -> t.letterB && t.containsIgnoreCase("bearer"),
      t -> t.letterJ && t.contains("eyJ"),
      t -> t.equals || t.colon,
      t -> t.kDash,
      t -> t.letterK && t.contains("AKIA"),
      t -> t.at,
      t -> t.ssnShape,
      t -> t.digitGroupsOfFour >= 3,
      t -> t.longestDigitRun >= 13);

  private static final Map<String, Predicate<TextTraits>> BY_REGEX = byRegex();

  private RulePrefilters() {}

  private static Map<String, Predicate<TextTraits>> byRegex() {
    var defaults = PrivacyConfig.DEFAULT_MASK_PATTERNS;
    if (defaults.size() != DEFAULTS.size()) {
      throw new IllegalStateException("a default mask pattern has no prefilter");
    }
    var map = new java.util.HashMap<String, Predicate<TextTraits>>();
    for (int i = 0; i < defaults.size(); i++) {
      map.put(defaults.get(i).regex(), DEFAULTS.get(i));
    }
    return Map.copyOf(map);
  }

  static Predicate<TextTraits> forPattern(String regex) {
    Predicate<TextTraits> known = BY_REGEX.get(regex);
    if (known != null) {
      return known;
    }
    String outside = outsideClasses(regex);
    if (outside == null || outside.indexOf('(') >= 0 || outside.indexOf('|') >= 0) {
      return ALWAYS;
    }
    if (mandatory(outside, '@')) {
      return t -> t.at;
    }
    if (mandatory(outside, DIGIT)) {
      return t -> t.digits > 0;
    }
    return ALWAYS;
  }

  /** Whether {@code token} occurs and is not made optional by the quantifier after it. */
  private static boolean mandatory(String outside, char token) {
    for (int i = outside.indexOf(token); i >= 0; i = outside.indexOf(token, i + 1)) {
      char next = i + 1 < outside.length() ? outside.charAt(i + 1) : ' ';
      boolean optional = next == '?' || next == '*' || (next == '{' && outside.startsWith("{0", i + 1));
      if (!optional) {
        return true;
      }
    }
    return false;
  }

  /**
   * The regex with character classes and escapes replaced by stand-ins (so their content is not mistaken for
   * literals), or null when the brackets do not balance in a way this simple scan understands.
   */
  private static String outsideClasses(String regex) {
    StringBuilder out = new StringBuilder();
    boolean inClass = false;
    for (int i = 0; i < regex.length(); i++) {
      char c = regex.charAt(i);
      if (c == '\\' && i + 1 < regex.length()) {
        char escaped = regex.charAt(++i);
        if (!inClass) {
          // \d is a digit; \@ a literal '@'; any other escape is something else entirely.
          out.append(escaped == 'd' ? DIGIT : escaped == '@' ? '@' : OTHER);
        }
        continue;
      }
      if (!inClass && c == '[') {
        inClass = true;
        out.append(OTHER);
      } else if (inClass && c == ']') {
        inClass = false;
      } else if (inClass && c == '[') {
        return null;
      } else if (!inClass) {
        out.append(c);
      }
    }
    return inClass ? null : out.toString();
  }
}
