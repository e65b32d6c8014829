package dev.mcpgw.gateway.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.CompletableFuture;

/**
 * One live MCP client session towards one upstream server, whatever its transport. Messages are relayed as Jackson
 * trees so that fields the gateway does not know survive the round trip. Methods never throw: failures complete the
 * returned future exceptionally with an {@link UpstreamException} that names the upstream.
 */
public interface UpstreamClient extends AutoCloseable {

  /** The registered name of the upstream (used in error messages, tool name prefixes and spans). */
  String name();

  /**
   * Opens the transport and performs the {@code initialize} handshake (then sends
   * {@code notifications/initialized}). Completes with the server's initialize result.
   */
  CompletableFuture<ObjectNode> connect();

  /**
   * Sends one JSON-RPC request and completes with its {@code result}. A JSON-RPC error answer completes exceptionally
   * with {@link UpstreamException.Kind#RPC_ERROR} carrying the error object unchanged.
   */
  CompletableFuture<JsonNode> request(String method, ObjectNode params, RequestOptions options);

  /** Sends a JSON-RPC notification; delivery failures are logged, not thrown. */
  void notify(String method, ObjectNode params);

  /** Receives the upstream's notifications and server-to-client requests. Replaces any earlier listener. */
  void setListener(UpstreamListener listener);

  /** The initialize result of the current session, or {@code null} before {@link #connect()} completed. */
  ObjectNode initializeResult();

  /** Health of this upstream: connection and circuit-breaker state, last error. */
  UpstreamHealth health();

  /** Ends the session (HTTP DELETE of the session, or the stdio process) and releases every resource. */
  @Override
  void close();
}
