package dev.mcpgw.gateway.catalog;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns an RFC 6570 URI template into a pattern that matches the URIs it can expand to (for {@code resources/read}). */
final class UriTemplates {
  private static final Pattern EXPRESSION = Pattern.compile("\\{([+#./;?&]?)[^}]*}");

  private UriTemplates() {}

  static Pattern toPattern(String template) {
    StringBuilder regex = new StringBuilder();
    Matcher m = EXPRESSION.matcher(template);
    int last = 0;
    while (m.find()) {
      regex.append(Pattern.quote(template.substring(last, m.start())));
      regex.append(switch (m.group(1)) {
        case "+", "#" -> ".*"; // reserved expansion may contain '/'
        case "?", "&" -> "(?:[?&][^#]*)?";
        case "/" -> "(?:/[^?#]*)?";
        case "." -> "(?:\\.[^/?#]*)?";
        case ";" -> "(?:;[^/?#]*)?";
        default -> "[^/?#]+";
      });
      last = m.end();
    }
    regex.append(Pattern.quote(template.substring(last)));
    return Pattern.compile(regex.toString());
  }
}
