package dev.mcpgw.gateway.auth;

import java.util.Objects;

/**
 * Who sent a request: the user and tenant taken from the bearer token's claims (or the basic-auth admin),
 * available to every layer after the HTTP auth filter.
 *
 * @param userId the token's {@code sub} claim
 * @param tenantId the token's {@code tenant} claim
 * @param admin whether the caller may write to the registry
 */
public record Caller(String userId, String tenantId, boolean admin) {
  /** The caller assumed when {@code MCPGW_AUTH_REQUIRED=false}. */
  public static final Caller ANONYMOUS = new Caller("anonymous", "default", true);

  public Caller {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(tenantId, "tenantId");
  }
}
