package dev.mcpgw.gateway.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A failed exchange with an upstream. Its message always names the upstream and never carries secrets. */
public final class UpstreamException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why the exchange failed. */
  public enum Kind {
    /** No answer within the request's timeout. */
    TIMEOUT,
    /** The upstream could not be reached or its connection broke. */
    UNAVAILABLE,
    /** The upstream's circuit breaker is open: the call was not attempted. */
    CIRCUIT_OPEN,
    /** The upstream answered something that is not valid MCP. */
    PROTOCOL,
    /** The upstream answered with a JSON-RPC error, kept in {@link #rpcError()}. */
    RPC_ERROR
  }

  private final String upstream;
  private final Kind kind;
  private final transient JsonNode rpcError;

  public UpstreamException(String upstream, Kind kind, String message, JsonNode rpcError, Throwable cause) {
    super(message, cause);
    this.upstream = upstream;
    this.kind = kind;
    this.rpcError = rpcError;
  }

  public UpstreamException(String upstream, Kind kind, String message) {
    this(upstream, kind, message, null, null);
  }

  /** An error answer for a server-to-client request the gateway does not handle. */
  /** The failure inside {@code t}'s {@link java.util.concurrent.CompletionException} wrappers ({@code t} itself if none). */
  public static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while (c instanceof java.util.concurrent.CompletionException && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }

  public static UpstreamException methodNotFound(String method) {
    ObjectNode error = JsonNodeFactory.instance.objectNode();
    error.put("code", -32601);
    error.put("message", "Method not found: " + method);
    return new UpstreamException(null, Kind.RPC_ERROR, "Method not found: " + method, error, null);
  }

  public String upstream() {
    return upstream;
  }

  public Kind kind() {
    return kind;
  }

  /** The JSON-RPC error object the upstream sent, for {@link Kind#RPC_ERROR}; otherwise {@code null}. */
  public JsonNode rpcError() {
    return rpcError;
  }
}
