package dev.mcpgw.gateway.mcp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.catalog.Scope;

/**
 * The start and end of a downstream session, told by the transport that owns it. Kept apart from
 * {@link MessageDispatch}, so that the decorators around each message (spans, metrics) need not know about sessions.
 */
public interface SessionLifecycle {
  /**
   * A downstream session began (after initialize for Streamable HTTP, when its stream opened for legacy SSE).
   *
   * @param initializeParams the client's {@code initialize} params, or {@code null} when it has not sent them yet
   * @param outlet the session's own stream, for what belongs to no request (log messages, resource updates,
   *     server-to-client requests of its upstream sessions)
   */
  void sessionStarted(String sessionId, Scope scope, ObjectNode initializeParams, Downstream outlet);

  /** A downstream session ended: whatever it kept at the gateway and at upstreams is released. Never throws. */
  void sessionEnded(String sessionId);
}
