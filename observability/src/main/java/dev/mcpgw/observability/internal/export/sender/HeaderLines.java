package dev.mcpgw.observability.internal.export.sender;

/**
 * What may go on an HTTP/1.1 header line: a name of token characters and a value without line breaks or other control
 * characters (a tab excepted). Settings are checked at start-up, and the sender checks every request again, so that
 * no configured value can add a line of its own to an export.
 */
public final class HeaderLines {

  private HeaderLines() {}

  /** Why {@code name: value} cannot be sent, or {@code null} when it can. Never mentions the value. */
  public static String problem(String name, String value) {
    if (name == null || name.isEmpty()) {
      return "has no name";
    }
    for (int i = 0; i < name.length(); i++) {
      if (!token(name.charAt(i))) {
        return "has a character not allowed in a header name";
      }
    }
    if (value == null) {
      return "has no value";
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7f) {
        return "has a line break or control character in its value (a header value is one line)";
      }
    }
    return null;
  }

  /** {@code name} with anything outside printable ASCII replaced, for an error message. */
  public static String printable(String name) {
    return name == null ? "" : name.replaceAll("[^\\x21-\\x7e]", "?");
  }

  private static boolean token(char c) {
    return c > 0x20 && c < 0x7f && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
  }
}
