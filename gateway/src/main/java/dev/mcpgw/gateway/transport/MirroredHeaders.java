package dev.mcpgw.gateway.transport;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * The request headers that mirror the JSON-RPC body (SEP-2243): {@code Mcp-Method} carries the message's
 * {@code method}, {@code Mcp-Name} the tool or prompt name ({@code params.name}) or the resource URI
 * ({@code params.uri}). Intermediaries route and authorise on them without reading the body, so a body that says
 * something else must be refused: answering it would act on what the header did not show. The revisions the gateway
 * speaks do not require the headers, so only headers that are present are checked.
 */
final class MirroredHeaders {
  static final String METHOD = "Mcp-Method";
  static final String NAME = "Mcp-Name";
  /** JSON-RPC error code of a header that disagrees with the body ({@code HeaderMismatch}). */
  static final int HEADER_MISMATCH = -32001;
  private static final int MAX_QUOTED = 200;

  /** Which params member {@code Mcp-Name} mirrors, per method. */
  private static final Map<String, String> NAME_MEMBER = Map.of(
      "tools/call", "name",
      "prompts/get", "name",
      "resources/read", "uri",
      "resources/subscribe", "uri",
      "resources/unsubscribe", "uri");

  /** A header that disagrees with the body. */
  record Mismatch(String header, String message) {}

  private MirroredHeaders() {}

  /**
   * @param methodHeader the {@code Mcp-Method} value, or {@code null} when absent
   * @param nameHeader the {@code Mcp-Name} value, or {@code null} when absent
   * @param message one JSON-RPC message as classified valid
   * @return the first mismatch, or {@code null} when the headers present agree with the body
   */
  static Mismatch check(String methodHeader, String nameHeader, JsonNode message) {
    String method = message.path("method").isTextual() ? message.get("method").textValue() : null;
    if (methodHeader != null && !methodHeader.equals(method)) {
      return mismatch(METHOD, methodHeader, method);
    }
    String member = method == null ? null : NAME_MEMBER.get(method);
    if (nameHeader != null && member != null) {
      JsonNode value = message.path("params").path(member);
      String body = value.isTextual() ? value.textValue() : null;
      if (!nameHeader.equals(body)) {
        return mismatch(NAME, nameHeader, body);
      }
    }
    return null;
  }

  private static Mismatch mismatch(String header, String headerValue, String bodyValue) {
    return new Mismatch(header, "Header mismatch: " + header + " header value '" + quote(headerValue)
        + "' does not match body value '" + (bodyValue == null ? "(none)" : quote(bodyValue)) + "'");
  }

  private static String quote(String value) {
    return value.length() <= MAX_QUOTED ? value : value.substring(0, MAX_QUOTED) + "...";
  }
}
