package dev.mcpgw.gateway.upstream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.store.UpstreamSpec;
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

  /**
   * Opens a further session to the upstream of {@code gatewayId} that belongs to one downstream session: it is
   * initialized with {@code initializeParams} (the downstream client's capabilities and client info, so the upstream
   * offers what that client supports), shares the upstream's circuit breaker, is not returned by {@link #get} and is
   * closed by its caller, or by {@link #disconnect} and {@link #close}. Completes when initialize has succeeded; fails
   * with {@link UpstreamException.Kind#UNAVAILABLE} when {@code gatewayId} was never connected.
   */
  default CompletableFuture<UpstreamClient> openSession(String gatewayId, ObjectNode initializeParams,
      UpstreamListener listener) {
    return CompletableFuture.failedFuture(new UpstreamException(null, UpstreamException.Kind.UNAVAILABLE,
        "this pool cannot open sessions per downstream client"));
  }

  /**
   * The same, for one downstream user: {@code owner} (a user of a tenant, or {@code null}) counts against a bound per
   * user where the pool has one. Fails with {@link UpstreamException.Kind#UNAVAILABLE} when a bound is reached.
   */
  default CompletableFuture<UpstreamClient> openSession(String gatewayId, ObjectNode initializeParams,
      UpstreamListener listener, String owner) {
    return openSession(gatewayId, initializeParams, listener);
  }

  /**
   * The same, opened with {@code headers} instead of the registration's (a caller's own credential for an upstream
   * registered with per-user credentials; {@code null}: the registration's). A pool that cannot fails with
   * {@link UpstreamException.Kind#UNAVAILABLE} rather than use the registration's headers.
   */
  default CompletableFuture<UpstreamClient> openSession(String gatewayId, ObjectNode initializeParams,
      UpstreamListener listener, String owner, java.util.Map<String, String> headers) {
    if (headers == null) {
      return openSession(gatewayId, initializeParams, listener, owner);
    }
    return CompletableFuture.failedFuture(new UpstreamException(null, UpstreamException.Kind.UNAVAILABLE,
        "this pool cannot open sessions with a caller's own credential"));
  }

  /**
   * Closes every session opened for {@code owner} at {@code gatewayId} with {@link #openSession} (a revoked or
   * replaced credential); their holders see them closed and open new ones. A no-op when there are none.
   */
  default void closeSessionsOf(String gatewayId, String owner) {
  }

  /** The current session for {@code gatewayId}, if connected. */
  Optional<UpstreamClient> get(String gatewayId);

  /**
   * The session a call should use: like {@link #get}, but a pool that can reconnects a registered upstream that is
   * down (once, shared by concurrent callers, respecting its circuit breaker, bounded in time) instead of leaving it
   * to the next health-check round.
   */
  default Optional<UpstreamClient> usable(String gatewayId) {
    return get(gatewayId);
  }

  /** The upstream's circuit-breaker state ({@code CLOSED}, {@code OPEN}, {@code HALF_OPEN}), known or not connected. */
  default String circuitState(String gatewayId) {
    return get(gatewayId).map(c -> c.health().circuitState()).orElse("CLOSED");
  }

  /** Closes and forgets the session for {@code gatewayId}; a no-op when there is none. */
  void disconnect(String gatewayId);

  /** Closes every session. */
  @Override
  void close();
}
