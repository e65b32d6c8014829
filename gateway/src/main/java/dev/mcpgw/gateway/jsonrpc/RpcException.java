package dev.mcpgw.gateway.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A JSON-RPC error answer, raised inside the dispatcher and turned into an error response at its single dispatch
 * point. It carries no stack trace: it is an answer, not a fault, and is never logged as one.
 */
public final class RpcException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public static final int PARSE_ERROR = -32700;
  public static final int INVALID_REQUEST = -32600;
  public static final int METHOD_NOT_FOUND = -32601;
  public static final int INVALID_PARAMS = -32602;
  public static final int INTERNAL_ERROR = -32603;
  /** MCP's code for a {@code resources/read} of a URI nobody serves. */
  public static final int RESOURCE_NOT_FOUND = -32002;

  private final int code;
  private final transient JsonNode data;
  private final transient JsonNode relayed;

  public RpcException(int code, String message, JsonNode data) {
    this(code, message, data, null);
  }

  private RpcException(int code, String message, JsonNode data, JsonNode relayed) {
    super(message, null, false, false);
    this.code = code;
    this.data = data;
    this.relayed = relayed;
  }

  /** An upstream's JSON-RPC error object, to be answered exactly as the upstream sent it. */
  public static RpcException relayed(JsonNode errorObject) {
    return new RpcException(errorObject.path("code").asInt(INTERNAL_ERROR), errorObject.path("message").asText(""),
        errorObject.get("data"), errorObject);
  }

  /** The upstream's error object for {@link #relayed}, else {@code null}. */
  public JsonNode relayedError() {
    return relayed;
  }

  public int code() {
    return code;
  }

  /** The error's {@code data} member, or {@code null}. */
  public JsonNode data() {
    return data;
  }

  public static RpcException parse(String message) {
    return new RpcException(PARSE_ERROR, message, null);
  }

  public static RpcException invalidRequest(String message) {
    return new RpcException(INVALID_REQUEST, message, null);
  }

  public static RpcException methodNotFound(String method) {
    return new RpcException(METHOD_NOT_FOUND, "Method not found: " + method, field("method", method));
  }

  /** Bad params; {@code field} is the path of the offending member ({@code params.name}). */
  public static RpcException invalidParams(String message, String field) {
    return new RpcException(INVALID_PARAMS, message, field == null ? null : field("field", field));
  }

  private static ObjectNode field(String key, String value) {
    return JsonNodeFactory.instance.objectNode().put(key, value);
  }
}
