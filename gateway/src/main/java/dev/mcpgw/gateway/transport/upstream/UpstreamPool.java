package dev.mcpgw.gateway.transport.upstream;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The live sessions to every registered upstream, keyed by registry id. The registry connects an upstream when it is
 * registered or refreshed and disconnects it when it is deleted; the MCP dispatcher looks sessions up to route calls.
 */
public interface UpstreamPool extends AutoCloseable {

  /**
   * Opens a session to {@code spec} (closing any previous one for {@code gatewayId}) and completes when initialize
   * has succeeded. {@code listener} receives the upstream's notifications ({@code list_changed}, ...).
   */
  CompletableFuture<UpstreamClient> connect(String gatewayId, UpstreamSpec spec, UpstreamListener listener);

  /** The current session for {@code gatewayId}, if connected. */
  Optional<UpstreamClient> get(String gatewayId);

  /** Closes and forgets the session for {@code gatewayId}; a no-op when there is none. */
  void disconnect(String gatewayId);

  /** Closes every session. */
  @Override
  void close();
}
