package dev.mcpgw.gateway.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.CompletableFuture;

/**
 * The way back to a stateless (2026-07-28) client while its request runs at an upstream of the session era, which
 * may send server-to-client requests mid-call ({@code sampling/createMessage}, {@code elicitation/create},
 * {@code roots/list}). Such a client cannot be asked anything during its request: the transport answers it with an
 * {@code InputRequiredResult} naming the requests, holds the upstream call, and completes the returned futures with
 * the client's {@code inputResponses} when it retries.
 */
public interface HeldInputs extends Downstream {

  /**
   * An upstream's server-to-client request during the call.
   *
   * @return completes with the client's answer on its retry; fails with a JSON-RPC error the upstream gets when the
   *     client did not declare the capability the method needs, or never retries
   */
  CompletableFuture<JsonNode> ask(String method, ObjectNode params);

  /** The capabilities the client declared in its request's {@code _meta}. */
  ObjectNode clientCapabilities();

  /** The client's identity from its request's {@code _meta}, or {@code null}. */
  ObjectNode clientInfo();

  /** An upstream session opened for this request alone: closed when the request ends. */
  void adopt(AutoCloseable upstreamSession);
}
