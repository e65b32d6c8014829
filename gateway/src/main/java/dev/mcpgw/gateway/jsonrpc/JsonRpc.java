package dev.mcpgw.gateway.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Builds JSON-RPC 2.0 messages and classifies what a client sent. */
public final class JsonRpc {
  /** The mapper of the MCP path: plain Jackson, no modules (messages are trees, never bound to classes). */
  public static final ObjectMapper MAPPER = MessageJson.MAPPER;
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** What kind of JSON-RPC message a client sent. */
  public enum Kind {
    REQUEST,
    NOTIFICATION,
    RESPONSE
  }

  private JsonRpc() {}

  public static ObjectNode result(JsonNode id, JsonNode result) {
    ObjectNode m = NODES.objectNode().put("jsonrpc", "2.0");
    m.set("id", id == null ? NullNode.getInstance() : id);
    m.set("result", result == null ? NODES.objectNode() : result);
    return m;
  }

  public static ObjectNode error(JsonNode id, int code, String message, JsonNode data) {
    ObjectNode m = NODES.objectNode().put("jsonrpc", "2.0");
    m.set("id", id == null ? NullNode.getInstance() : id);
    ObjectNode error = m.putObject("error").put("code", code).put("message", message);
    if (data != null) {
      error.set("data", data);
    }
    return m;
  }

  /** An error response carrying an upstream's error object exactly as it was sent. */
  public static ObjectNode error(JsonNode id, JsonNode errorObject) {
    ObjectNode m = NODES.objectNode().put("jsonrpc", "2.0");
    m.set("id", id == null ? NullNode.getInstance() : id);
    m.set("error", errorObject);
    return m;
  }

  public static ObjectNode error(JsonNode id, RpcException e) {
    return error(id, e.code(), e.getMessage(), e.data());
  }

  public static ObjectNode notification(String method, ObjectNode params) {
    ObjectNode m = NODES.objectNode().put("jsonrpc", "2.0").put("method", method);
    if (params != null) {
      m.set("params", params);
    }
    return m;
  }

  /**
   * Checks one message's envelope and says what it is.
   *
   * @throws RpcException {@code -32600} naming what is wrong
   */
  public static Kind classify(JsonNode message) {
    if (!message.isObject()) {
      throw RpcException.invalidRequest("a JSON-RPC message must be an object, not " + message.getNodeType());
    }
    if (!"2.0".equals(message.path("jsonrpc").textValue())) {
      throw RpcException.invalidRequest("'jsonrpc' must be \"2.0\"");
    }
    JsonNode id = message.get("id");
    if (id != null && !id.isTextual() && !id.isIntegralNumber()) {
      throw RpcException.invalidRequest("'id' must be a string or an integer");
    }
    JsonNode method = message.get("method");
    if (method != null) {
      if (!method.isTextual() || method.textValue().isEmpty()) {
        throw RpcException.invalidRequest("'method' must be a non-empty string");
      }
      JsonNode params = message.get("params");
      if (params != null && !params.isObject()) {
        throw RpcException.invalidRequest("'params' must be an object");
      }
      return id == null ? Kind.NOTIFICATION : Kind.REQUEST;
    }
    if (id != null && (message.has("result") || message.has("error"))) {
      return Kind.RESPONSE;
    }
    throw RpcException.invalidRequest("a JSON-RPC message needs 'method', or 'id' with 'result' or 'error'");
  }

  /** The message's id when it has a usable one (for error answers to invalid messages), else {@code null}. */
  public static JsonNode idOf(JsonNode message) {
    JsonNode id = message == null ? null : message.get("id");
    return id != null && (id.isTextual() || id.isIntegralNumber()) ? id : null;
  }
}
