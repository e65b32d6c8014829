package dev.mcpgw.gateway.upstream;

import java.util.Map;
import java.util.Optional;

/**
 * The credential vault as the MCP path sees it (ADR 0018): which upstreams take each caller's own credential, and a
 * caller's stored headers for one of them. Implementations never throw on the request path: a credential that cannot
 * be read is reported as absent.
 */
public interface UserCredentials {
  /** No upstream takes per-user credentials. */
  UserCredentials NONE = new UserCredentials() {
    @Override
    public boolean perUser(String gatewayId) {
      return false;
    }

    @Override
    public Optional<Map<String, String>> headers(String tenantId, String userId, String gatewayId) {
      return Optional.empty();
    }
  };

  /** Whether calls to {@code gatewayId} carry each caller's own headers instead of the registration's. */
  boolean perUser(String gatewayId);

  /** The headers {@code userId} of {@code tenantId} stored for {@code gatewayId}, if any. */
  Optional<Map<String, String>> headers(String tenantId, String userId, String gatewayId);

  /** The key of one user's upstream sessions (the pool's owner of a dedicated session). */
  static String owner(String tenantId, String userId) {
    return tenantId + "\0" + userId;
  }
}
