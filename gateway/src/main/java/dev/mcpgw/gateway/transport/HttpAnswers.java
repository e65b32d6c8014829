package dev.mcpgw.gateway.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.auth.Caller;
import dev.mcpgw.gateway.jsonrpc.JsonRpc;
import dev.mcpgw.gateway.jsonrpc.RpcException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;

/**
 * What the MCP endpoints read from and write to HTTP: JSON answers, transport-level errors as JSON-RPC error bodies
 * naming the offending header or field, bounded bodies, and the caller and request id the filters set.
 */
final class HttpAnswers {
  static final String REQUEST_ID_ATTRIBUTE = "mcpgw.requestId";

  private HttpAnswers() {}

  static void json(HttpServletResponse res, int status, JsonNode body) throws IOException {
    res.setStatus(status);
    res.setContentType("application/json");
    res.setCharacterEncoding("UTF-8");
    byte[] bytes = JsonRpc.MAPPER.writeValueAsBytes(body);
    res.setContentLength(bytes.length);
    res.getOutputStream().write(bytes);
  }

  /** An HTTP error whose body is a JSON-RPC error (what MCP clients parse) naming {@code field}. */
  static void error(HttpServletResponse res, int status, int code, String message, String field, JsonNode id)
      throws IOException {
    ObjectNode data = field == null ? null : JsonRpc.MAPPER.createObjectNode().put("field", field);
    json(res, status, JsonRpc.error(id, code, message, data));
  }

  static void error(HttpServletResponse res, int status, String message, String field) throws IOException {
    error(res, status, RpcException.INVALID_REQUEST, message, field, null);
  }

  /** 429 with a JSON-RPC error naming the cap reached: {@code data} holds its {@code limit} and {@code setting}. */
  static void refused(HttpServletResponse res, SessionLimitException refused, JsonNode id) throws IOException {
    ObjectNode data = JsonRpc.MAPPER.createObjectNode().put("limit", refused.limit()).put("setting", refused.setting());
    json(res, 429, JsonRpc.error(id, SessionLimitException.CODE, refused.getMessage(), data));
  }

  static Caller caller(HttpServletRequest req) {
    return req.getAttribute(Caller.class.getName()) instanceof Caller c ? c : Caller.ANONYMOUS;
  }

  static String requestId(HttpServletRequest req) {
    Object id = req.getAttribute(REQUEST_ID_ATTRIBUTE);
    if (id instanceof String s) {
      return s;
    }
    String generated = UUID.randomUUID().toString();
    req.setAttribute(REQUEST_ID_ATTRIBUTE, generated);
    return generated;
  }

  /** The body, or {@code null} when it is longer than {@code max} bytes. */
  static byte[] body(HttpServletRequest req, long max) throws IOException {
    long length = req.getContentLengthLong();
    if (length > max) {
      return null;
    }
    try (InputStream in = req.getInputStream()) {
      if (length >= 0) {
        // the declared length, read into an array of that size: no growing buffers to copy from for each request
        byte[] bytes = new byte[(int) length];
        int read = in.readNBytes(bytes, 0, bytes.length);
        return read == bytes.length ? bytes : Arrays.copyOf(bytes, read);
      }
      byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
      return bytes.length > max ? null : bytes;
    }
  }

  static void tooLarge(HttpServletResponse res, long max) throws IOException {
    error(res, 413, "request body exceeds " + max + " bytes", "body");
  }

  /** Whether the {@code Content-Type} is JSON (parameters such as charset allowed). */
  static boolean isJson(String contentType) {
    return contentType != null && contentType.toLowerCase(Locale.ROOT).trim().startsWith("application/json");
  }

  static boolean accepts(String accept, String type) {
    if (accept == null) {
      return true;
    }
    String a = accept.toLowerCase(Locale.ROOT);
    return a.contains(type) || a.contains("*/*") || a.contains(type.substring(0, type.indexOf('/')) + "/*");
  }
}
