package dev.mcpgw.gateway.testing.conformance;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A JSON-RPC error the 2026-07-28 side of the upstream answers, with the HTTP status that goes with its code. */
final class DraftError extends RuntimeException {
  static final int METHOD_NOT_FOUND = -32601;
  static final int INVALID_PARAMS = -32602;
  static final int HEADER_MISMATCH = -32020;
  static final int MISSING_CLIENT_CAPABILITY = -32021;

  final int code;
  final transient ObjectNode data;

  DraftError(int code, String message, ObjectNode data) {
    super(message, null, false, false);
    this.code = code;
    this.data = data;
  }

  DraftError(int code, String message) {
    this(code, message, null);
  }

  /** 404 for a method the server does not have, 400 for a request it refuses, 500 otherwise. */
  int httpStatus() {
    return switch (code) {
      case METHOD_NOT_FOUND -> 404;
      case INVALID_PARAMS, HEADER_MISMATCH, MISSING_CLIENT_CAPABILITY, -32600, -32022 -> 400;
      default -> 500;
    };
  }
}
