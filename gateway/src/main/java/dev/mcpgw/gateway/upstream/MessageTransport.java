package dev.mcpgw.gateway.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Moves JSON-RPC messages to and from one upstream; knows nothing of ids, methods or timeouts, which
 * {@link JsonRpcPeer} handles for every transport alike.
 */
interface MessageTransport extends AutoCloseable {

  /** Where a transport hands what it receives. Calls for one stream come from one thread, in arrival order. */
  interface Inbound {
    /**
     * One message (or batch) the upstream sent.
     *
     * @param relatedRequestId the id of our request on whose response stream it arrived, or {@code null}
     */
    void message(JsonNode message, Long relatedRequestId);

    /** The connection is gone for good; every waiting request fails with {@code cause}. */
    void closed(UpstreamException cause);
  }

  /** Opens the connection (spawns the process, opens the SSE stream); blocks at most the connect timeout. */
  void start(Inbound inbound);

  /**
   * Sends one message. A transport that answers on the same exchange (Streamable HTTP) reads the answer here and gives
   * it to the inbound before returning; the others return once the message is written.
   *
   * @param headers extra HTTP headers for this message only
   * @param exchange for a request: completes when its answer arrived or it was given up; a transport closes any stream
   *     it opened for the request then, and completes it exceptionally when the stream ends without an answer.
   *     {@code null} for notifications and responses.
   * @throws UpstreamException when the message could not be delivered
   */
  void send(ObjectNode message, Map<String, String> headers, CompletableFuture<?> exchange);

  /** The handshake succeeded with {@code protocolVersion}: later messages carry it, listening streams may open. */
  default void initialized(String protocolVersion) {}

  /** The MCP session id the upstream assigned, or {@code null} when it has none (yet). */
  default String sessionId() {
    return null;
  }

  /**
   * Whether the trace context may go into {@code params._meta} of a request with {@code params} without changing how
   * the upstream classifies it. The headers carry the context wherever the transport has headers; {@code _meta} is
   * the only carrier over stdio, so by default it may.
   */
  default boolean metaCarriesContext(ObjectNode params) {
    return true;
  }

  /** Whether the connection is usable. */
  boolean isOpen();

  /** Ends the session and releases everything; never throws. */
  @Override
  void close();
}
