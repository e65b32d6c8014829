package dev.mcpgw.gateway.transport;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.catalog.Scope;
import dev.mcpgw.gateway.transport.rpc.Downstream;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One downstream MCP session: bound to the endpoint (scope) and the user that opened it, so that neither another
 * endpoint nor another user can use its id. Its stream is the Streamable HTTP GET stream, or for the legacy SSE
 * transport the stream every answer goes to.
 */
final class McpSession {
  private final String id;
  private final Scope scope;
  private final String userId;
  private final boolean legacy;
  private volatile String protocolVersion;
  private final AtomicReference<SseStream> stream = new AtomicReference<>();

  McpSession(String id, Scope scope, String userId, boolean legacy, String protocolVersion) {
    this.id = id;
    this.scope = scope;
    this.userId = userId;
    this.legacy = legacy;
    this.protocolVersion = protocolVersion;
  }

  String id() {
    return id;
  }

  Scope scope() {
    return scope;
  }

  boolean legacy() {
    return legacy;
  }

  String protocolVersion() {
    return protocolVersion;
  }

  void protocolVersion(String version) {
    this.protocolVersion = version;
  }

  /** Whether a request on {@code scope} by {@code user} may use this session. */
  boolean belongsTo(Scope requestScope, String user, boolean legacyTransport) {
    return scope.equals(requestScope) && userId.equals(user) && legacy == legacyTransport;
  }

  /** Attaches the session's stream; {@code false} when an open one is attached already. */
  boolean attach(SseStream s) {
    SseStream current = stream.get();
    if (current != null && current.isOpen()) {
      return false;
    }
    return stream.compareAndSet(current, s);
  }

  void detach(SseStream s) {
    stream.compareAndSet(s, null);
  }

  SseStream stream() {
    return stream.get();
  }

  /** Sends a message on the session's stream; {@code false} when there is none or it is closed. */
  boolean send(ObjectNode message) {
    SseStream s = stream.get();
    return s != null && s.send(message);
  }

  /** The session's own stream as the dispatcher sees it: what belongs to no request goes there. */
  Downstream outlet() {
    return new Downstream() {
      @Override
      public void send(ObjectNode notification) {
        McpSession.this.send(notification);
      }

      @Override
      public boolean probe() {
        SseStream s = stream.get();
        return s != null && s.isOpen();
      }

      @Override
      public boolean deliver(ObjectNode request) {
        return McpSession.this.send(request);
      }
    };
  }

  /** Ends the session's stream. */
  void close() {
    SseStream s = stream.getAndSet(null);
    if (s != null) {
      s.close();
    }
  }
}
