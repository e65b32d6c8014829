package dev.mcpgw.gateway.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.jsonrpc.RpcException;

/** Reads request params, answering {@code -32602} naming the member when one is missing or of the wrong type. */
final class Params {
  private Params() {}

  static String requiredString(ObjectNode params, String field) {
    JsonNode v = params.get(field);
    if (v == null || v.isNull()) {
      throw RpcException.invalidParams("missing required parameter 'params." + field + "'", "params." + field);
    }
    if (!v.isTextual() || v.textValue().isEmpty()) {
      throw RpcException.invalidParams("'params." + field + "' must be a non-empty string", "params." + field);
    }
    return v.textValue();
  }

  /** The member as an object, or {@code null} when absent or null. */
  static ObjectNode optionalObject(ObjectNode params, String field) {
    JsonNode v = params.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isObject()) {
      throw RpcException.invalidParams("'params." + field + "' must be an object", "params." + field);
    }
    return (ObjectNode) v;
  }

  /** A cursor for a list call: the gateway answers every list in one page, so no cursor it did not issue is valid. */
  static void noCursor(ObjectNode params) {
    JsonNode cursor = params.get("cursor");
    if (cursor != null && !cursor.isNull()) {
      throw RpcException.invalidParams("invalid cursor: this server returns every item in one page", "params.cursor");
    }
  }
}
