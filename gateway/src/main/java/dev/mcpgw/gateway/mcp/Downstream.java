package dev.mcpgw.gateway.mcp;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The way back to the client while its request runs: the transport turns what is sent here into SSE events on the
 * request's own stream. Implementations never throw and drop what arrives after the request finished.
 */
@FunctionalInterface
public interface Downstream {

  /** Sends a JSON-RPC notification (progress, ...) related to the running request. */
  void send(ObjectNode notification);

  /**
   * Checks that the client is still there while its request waits, by writing something harmless to it.
   *
   * @return {@code false} when the client went away (the request's upstream call is then cancelled)
   */
  default boolean probe() {
    return true;
  }

  /**
   * Sends a server-to-client request ({@code sampling/createMessage}, ...) on this stream.
   *
   * @return {@code false} when this stream cannot carry it (finished, closed, or a plain JSON answer)
   */
  default boolean deliver(ObjectNode request) {
    return false;
  }

  /** A client that cannot receive anything before the answer (a plain JSON response): notifications are dropped. */
  Downstream NONE = notification -> {};
}
