package dev.mcpgw.gateway.testing.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The 2026-07-28 (stateless) side of the conformance upstream, for requests {@link RevisionClassifier} found
 * well-formed: {@code server/discover}, tools, prompts, resources, {@code subscriptions/listen}, multi round-trip
 * requests ({@link DraftTools}), {@code resultType} on every result and caching hints ({@code ttlMs},
 * {@code cacheScope}) on the cacheable ones. The headers that mirror the body (SEP-2243: {@code Mcp-Method},
 * {@code Mcp-Name}, and {@code Mcp-Param-*} for tool parameters marked {@code x-mcp-header}) must be present and agree
 * with it ({@code -32020}, HTTP 400). Methods of the session era ({@code initialize}, {@code ping},
 * {@code logging/setLevel}, {@code resources/subscribe}, ...) and unknown ones are answered 404 {@code -32601}.
 */
final class DraftRevision {
  static final String VERSION = "2026-07-28";
  /** What {@code server/discover} lists, and the {@code -32022} answer with it. */
  static final List<String> SUPPORTED = List.of(VERSION, "2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05");
  private static final Set<String> CACHEABLE = Set.of("server/discover", "tools/list", "prompts/list",
      "resources/list", "resources/templates/list", "resources/read");
  private static final Map<String, String> NAME_MEMBER = Map.of("tools/call", "name", "prompts/get", "name",
      "resources/read", "uri");
  private static final Pattern BASE64 =
      Pattern.compile("(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?");
  private static final String STATIC_TEXT = "test://static-text";

  private final ObjectMapper json;
  private final DraftSubscriptions subscriptions;
  private final DraftTools tools;

  DraftRevision(ObjectMapper json) {
    this.json = json;
    this.subscriptions = new DraftSubscriptions(json);
    this.tools = new DraftTools(json, new RequestStates(json), subscriptions);
  }

  void serve(HttpServletRequest req, HttpServletResponse res, ObjectNode message) throws IOException {
    JsonNode id = message.get("id");
    String method = message.path("method").asText();
    ObjectNode params = message.get("params") instanceof ObjectNode p ? p : json.createObjectNode();
    JsonNode meta = params.path("_meta");
    try {
      checkHeaders(req, method, params);
      if (id == null) {
        res.setStatus(202);
        return;
      }
      if (method.equals("subscriptions/listen")) {
        subscriptions.listen(params, res);
        return;
      }
      DraftTools.Reply reply = switch (method) {
        case "server/discover" -> DraftTools.Reply.of(discover());
        case "tools/list" -> DraftTools.Reply.of(tools.list());
        case "tools/call" -> tools.call(params, meta);
        case "prompts/list" -> DraftTools.Reply.of(tools.prompts());
        case "prompts/get" -> DraftTools.Reply.of(tools.prompt(params));
        case "resources/list" -> DraftTools.Reply.of(resources());
        case "resources/templates/list" -> DraftTools.Reply.of(templates());
        case "resources/read" -> DraftTools.Reply.of(read(params));
        default -> throw new DraftError(DraftError.METHOD_NOT_FOUND, "Method not found: " + method);
      };
      ObjectNode result = reply.result();
      if (!result.has("resultType")) {
        result.put("resultType", "complete");
      }
      if (CACHEABLE.contains(method)) {
        result.put("ttlMs", 30_000).put("cacheScope", "public");
      }
      ObjectNode response = json.createObjectNode().put("jsonrpc", "2.0");
      response.set("id", id);
      response.set("result", result);
      if (reply.stream()) {
        res.setStatus(200);
        res.setContentType("text/event-stream");
        res.setCharacterEncoding("UTF-8");
        StringBuilder events = new StringBuilder();
        for (ObjectNode n : reply.before()) {
          events.append("event: message\ndata: ").append(json.writeValueAsString(n)).append("\n\n");
        }
        events.append("event: message\ndata: ").append(json.writeValueAsString(response)).append("\n\n");
        res.getOutputStream().write(events.toString().getBytes(StandardCharsets.UTF_8));
      } else {
        write(res, 200, response);
      }
    } catch (DraftError e) {
      ObjectNode response = json.createObjectNode().put("jsonrpc", "2.0");
      response.set("id", id);
      ObjectNode error = response.putObject("error").put("code", e.code).put("message", e.getMessage());
      if (e.data != null) {
        error.set("data", e.data);
      }
      write(res, e.httpStatus(), response);
    }
  }

  /** SEP-2243: {@code Mcp-Method} always, {@code Mcp-Name} where the body names something, and custom headers. */
  private void checkHeaders(HttpServletRequest req, String method, ObjectNode params) {
    String methodHeader = trimmed(req.getHeader("Mcp-Method"));
    if (!method.equals(methodHeader)) {
      throw new DraftError(DraftError.HEADER_MISMATCH, "Header mismatch: Mcp-Method '" + methodHeader
          + "' does not match the body's method");
    }
    String member = NAME_MEMBER.get(method);
    if (member != null && params.path(member).isTextual()) {
      String nameHeader = trimmed(req.getHeader("Mcp-Name"));
      if (!params.get(member).textValue().equals(nameHeader)) {
        throw new DraftError(DraftError.HEADER_MISMATCH, "Header mismatch: Mcp-Name '" + nameHeader
            + "' does not match params." + member);
      }
    }
    if (method.equals("tools/call")) {
      JsonNode schema = tools.schemaOf(params.path("name").asText());
      JsonNode properties = schema == null ? null : schema.path("properties");
      if (properties == null) {
        return;
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> property = it.next();
        JsonNode suffix = property.getValue().get("x-mcp-header");
        JsonNode value = params.path("arguments").get(property.getKey());
        if (suffix == null || value == null || value.isNull()) {
          continue;
        }
        String header = req.getHeader("Mcp-Param-" + suffix.asText());
        String decoded = decode(trimmed(header));
        if (!value.asText().equals(decoded)) {
          throw new DraftError(DraftError.HEADER_MISMATCH, "Header mismatch: Mcp-Param-" + suffix.asText()
              + " does not carry params.arguments." + property.getKey());
        }
      }
    }
  }

  /** {@code =?base64?...?=} decoded (strictly: padded, base64 alphabet only), any other value as it is. */
  private static String decode(String header) {
    if (header == null || !header.startsWith("=?base64?") || !header.endsWith("?=") || header.length() < 11) {
      return header;
    }
    String encoded = header.substring(9, header.length() - 2);
    if (!BASE64.matcher(encoded).matches()) {
      throw new DraftError(DraftError.HEADER_MISMATCH, "Header mismatch: a Mcp-Param value is not valid base64");
    }
    return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
  }

  private static String trimmed(String value) {
    return value == null ? null : value.strip();
  }

  private ObjectNode discover() {
    ObjectNode result = json.createObjectNode();
    ArrayNode versions = result.putArray("supportedVersions");
    SUPPORTED.forEach(versions::add);
    ObjectNode capabilities = result.putObject("capabilities");
    capabilities.putObject("tools").put("listChanged", true);
    capabilities.putObject("prompts").put("listChanged", true);
    capabilities.putObject("resources");
    result.putObject("_meta").putObject("io.modelcontextprotocol/serverInfo")
        .put("name", ConformanceUpstream.SERVER_NAME).put("version", "1.0.0");
    return result;
  }

  private ObjectNode resources() {
    ObjectNode result = json.createObjectNode();
    result.putArray("resources").addObject().put("uri", STATIC_TEXT).put("name", "static-text")
        .put("mimeType", "text/plain");
    return result;
  }

  private ObjectNode templates() {
    ObjectNode result = json.createObjectNode();
    result.putArray("resourceTemplates").addObject().put("uriTemplate", "test://template/{id}/data")
        .put("name", "template").put("mimeType", "application/json");
    return result;
  }

  private ObjectNode read(ObjectNode params) {
    String uri = params.path("uri").asText();
    if (!uri.equals(STATIC_TEXT)) {
      ObjectNode data = json.createObjectNode().put("uri", uri);
      throw new DraftError(DraftError.INVALID_PARAMS, "Resource not found", data);
    }
    ObjectNode result = json.createObjectNode();
    result.putArray("contents").addObject().put("uri", uri).put("mimeType", "text/plain")
        .put("text", "This is the content of the static text resource.");
    return result;
  }

  private void write(HttpServletResponse res, int status, ObjectNode body) throws IOException {
    res.setStatus(status);
    res.setContentType("application/json");
    res.getOutputStream().write(json.writeValueAsBytes(body));
  }
}
