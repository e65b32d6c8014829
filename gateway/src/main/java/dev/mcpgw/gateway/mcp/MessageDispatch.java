package dev.mcpgw.gateway.mcp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.jsonrpc.JsonRpc;

/**
 * Handles one client message, whatever transport carried it: {@link McpDispatcher} answers it; decorators (the MCP
 * SERVER span) wrap it at build time, so the transports never know whether tracing is on.
 */
@FunctionalInterface
public interface MessageDispatch {

  /**
   * Handles one message whose envelope {@link JsonRpc#classify} accepted. Never throws.
   *
   * @return the response for a request; {@code null} for a notification or a client's response
   */
  ObjectNode dispatch(ObjectNode message, Exchange exchange);
}
