package dev.mcpgw.gateway.console;

/**
 * Builds the console's HTML. Every dynamic value goes through {@link #text} (element content) or {@link #attr}
 * (attribute values, always double-quoted): span names, attributes, events, request ids and user names are data
 * from clients and upstreams, and must render as text, never as markup.
 */
final class Html {
  private final StringBuilder out = new StringBuilder(4096);

  /** Appends trusted markup written in this package (never a value from a request, span or registry). */
  Html raw(String markup) {
    out.append(markup);
    return this;
  }

  /** Appends {@code value} as element text. */
  Html text(Object value) {
    out.append(escape(value == null ? "" : value.toString()));
    return this;
  }

  /** Appends {@code name="value"} with the value escaped. */
  Html attr(String name, Object value) {
    out.append(' ').append(name).append("=\"").append(escape(value == null ? "" : value.toString())).append('"');
    return this;
  }

  /** An element with text content: {@code <tag>text</tag>}. */
  Html el(String tag, Object value) {
    return raw("<" + tag + ">").text(value).raw("</" + tag + ">");
  }

  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  /** A query string value, percent-encoded. */
  static String query(String s) {
    return java.net.URLEncoder.encode(s == null ? "" : s, java.nio.charset.StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return out.toString();
  }
}
