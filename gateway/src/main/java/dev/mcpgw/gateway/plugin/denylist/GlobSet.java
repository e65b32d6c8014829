package dev.mcpgw.gateway.plugin.denylist;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Names and glob patterns ({@code *} any run of characters, {@code ?} one character, everything else literal,
 * case-sensitive). Plain names are looked up in a hash set; the globs are compiled into one regular expression.
 */
final class GlobSet {
  static final GlobSet EMPTY = new GlobSet(List.of());

  private final Set<String> exact = new HashSet<>();
  private final Pattern globs;

  GlobSet(List<String> patterns) {
    List<String> regexes = new ArrayList<>();
    for (String p : patterns) {
      if (p.indexOf('*') < 0 && p.indexOf('?') < 0) {
        exact.add(p);
      } else {
        regexes.add(toRegex(p));
      }
    }
    this.globs = regexes.isEmpty() ? null : Pattern.compile(String.join("|", regexes), Pattern.DOTALL);
  }

  boolean isEmpty() {
    return exact.isEmpty() && globs == null;
  }

  boolean matches(String name) {
    return exact.contains(name) || (globs != null && globs.matcher(name).matches());
  }

  private static String toRegex(String glob) {
    StringBuilder re = new StringBuilder("(?:");
    StringBuilder literal = new StringBuilder();
    for (char c : glob.toCharArray()) {
      if (c == '*' || c == '?') {
        if (!literal.isEmpty()) {
          re.append(Pattern.quote(literal.toString()));
          literal.setLength(0);
        }
        re.append(c == '*' ? ".*" : ".");
      } else {
        literal.append(c);
      }
    }
    if (!literal.isEmpty()) {
      re.append(Pattern.quote(literal.toString()));
    }
    return re.append(')').toString();
  }
}
