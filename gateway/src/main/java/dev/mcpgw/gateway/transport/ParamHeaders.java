package dev.mcpgw.gateway.transport;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The custom headers of SEP-2243: a tool parameter marked {@code "x-mcp-header": "Region"} in the tool's input schema
 * travels in {@code Mcp-Param-Region} as well as in the body, so that intermediaries can route on it; a value that
 * is not plain ASCII is sent as {@code =?base64?...?=}. A request whose body has such a parameter must carry its
 * header, with the same value; a {@code =?base64?...?=} value must be valid base64 (padded, base64 alphabet only),
 * and any other value is taken literally.
 */
final class ParamHeaders {
  static final String PREFIX = "Mcp-Param-";
  private static final Pattern BASE64 =
      Pattern.compile("(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?");
  private static final String OPEN = "=?base64?";
  private static final String CLOSE = "?=";

  private ParamHeaders() {}

  /**
   * @param tool the tool's definition (its {@code inputSchema})
   * @param arguments the call's {@code params.arguments}
   * @return why the headers disagree with the body, or {@code null} when they agree
   */
  static String mismatch(HttpServletRequest req, JsonNode tool, JsonNode arguments) {
    for (Iterator<Map.Entry<String, JsonNode>> it = tool.path("inputSchema").path("properties").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> property = it.next();
      JsonNode suffix = property.getValue().get("x-mcp-header");
      JsonNode value = arguments.get(property.getKey());
      if (suffix == null || !suffix.isTextual() || value == null || value.isNull() || value.isContainerNode()) {
        continue;
      }
      String header = PREFIX + suffix.textValue();
      String raw = req.getHeader(header);
      if (raw == null) {
        return "Header mismatch: the " + header + " header is required when params.arguments."
            + property.getKey() + " is given";
      }
      String decoded = decode(raw.strip());
      if (decoded == null) {
        return "Header mismatch: " + header + " is not valid base64";
      }
      if (!decoded.equals(value.asText())) {
        return "Header mismatch: " + header + " does not match params.arguments." + property.getKey();
      }
    }
    return null;
  }

  /** The value a header carries: decoded when wrapped in {@code =?base64?...?=}; {@code null} when that is broken. */
  static String decode(String value) {
    if (!value.startsWith(OPEN) || !value.endsWith(CLOSE) || value.length() < OPEN.length() + CLOSE.length()) {
      return value;
    }
    String encoded = value.substring(OPEN.length(), value.length() - CLOSE.length());
    if (!BASE64.matcher(encoded).matches()) {
      return null;
    }
    return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
  }
}
