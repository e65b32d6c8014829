package dev.mcpgw.gateway.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.auth.Caller;
import dev.mcpgw.gateway.jsonrpc.MessageJson;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/** One admin API request as a handler sees it: the caller, the path parameters and the JSON body. */
public final class ApiRequest {
  private final HttpServletRequest raw;
  private final Map<String, String> pathParams;

  ApiRequest(HttpServletRequest raw, Map<String, String> pathParams) {
    this.raw = raw;
    this.pathParams = Map.copyOf(pathParams);
  }

  public Caller caller() {
    return (Caller) raw.getAttribute(AuthFilter.CALLER);
  }

  public String requestId() {
    return (String) raw.getAttribute(RequestIdFilter.ATTRIBUTE);
  }

  /** The value of {@code {name}} in the route's pattern. */
  public String path(String name) {
    return pathParams.get(name);
  }

  /** The query parameter {@code name}, or {@code null} when absent or blank. */
  public String query(String name) {
    String v = raw.getParameter(name);
    return v == null || v.isBlank() ? null : v;
  }

  /**
   * The body as a JSON object.
   *
   * @throws ApiException 400 naming {@code body} when it is empty, not JSON or not an object
   * @throws IOException when reading fails, including a body over the size limit (mapped to 413)
   */
  public ObjectNode body() throws IOException {
    JsonNode node;
    try (InputStream in = raw.getInputStream()) {
      node = JsonResponses.MAPPER.readTree(in);
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest("body", "request body: " + MessageJson.describe(e));
    }
    if (node == null || node.isMissingNode()) {
      throw ApiException.badRequest("body", "request body is empty; expected a JSON object");
    }
    if (!(node instanceof ObjectNode o)) {
      throw ApiException.badRequest("body", "request body must be a JSON object");
    }
    return o;
  }
}
