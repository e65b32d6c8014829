package dev.mcpgw.gateway.upstream;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Starts the trace of each request to an upstream; chosen once for the pool, a no-op when tracing is off. The CLIENT
 * spans are made in {@code trace} ({@code GatewayTelemetry#upstreamRequests}).
 */
public interface RequestTracer {

  /**
   * Starts a CLIENT span for {@code method}, a child of the caller's current context.
   *
   * @param sessionId the upstream's MCP session id, or {@code null} (initialize, stdio)
   * @param protocolVersion the negotiated MCP protocol version, or {@code null} before initialize
   */
  TracedRequest start(UpstreamTarget target, String method, ObjectNode params, String sessionId,
      String protocolVersion);

  /** Traces nothing and leaves every request as it is. */
  RequestTracer NONE = (target, method, params, sessionId, protocolVersion) -> TracedRequest.NONE;
}
