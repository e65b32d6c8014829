package dev.mcpgw.gateway.transport;

/**
 * Told when a downstream MCP session opens and ends (the session metrics); must not throw and must return quickly: it
 * runs on the request thread that opened the session and on the thread that noticed its end.
 */
public interface SessionObserver {
  /** The Streamable HTTP transport ({@code /mcp}, {@code /servers/{id}/mcp}). */
  String STREAMABLE_HTTP = "streamable_http";
  /** The legacy HTTP+SSE transport ({@code /sse} + {@code /message}). */
  String SSE = "sse";
  /** The client ended it: {@code DELETE} of a Streamable HTTP session, or a legacy session's stream closed. */
  String DELETED = "deleted";
  /** No request and no open stream for {@code MCPGW_SESSION_IDLE_TIMEOUT}. */
  String EXPIRED = "expired";
  /** The gateway stopped. */
  String SHUTDOWN = "shutdown";

  SessionObserver NONE = new SessionObserver() {
    @Override
    public void opened(String transport) {}

    @Override
    public void ended(String transport, String protocolVersion, String reason, long nanos) {}
  };

  /** A session of {@code transport} ({@link #STREAMABLE_HTTP} or {@link #SSE}) opened. */
  void opened(String transport);

  /**
   * A session of {@code transport} that lived {@code nanos} ended for {@code reason} ({@link #DELETED},
   * {@link #EXPIRED}, {@link #SHUTDOWN}); {@code protocolVersion} is the one negotiated, or {@code null}.
   */
  void ended(String transport, String protocolVersion, String reason, long nanos);
}
