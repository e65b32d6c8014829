package dev.mcpgw.gateway.tenancy;

import dev.mcpgw.gateway.auth.Caller;
import dev.mcpgw.gateway.http.ApiException;
import dev.mcpgw.gateway.store.OwnedKind;
import dev.mcpgw.gateway.store.Ownership;
import dev.mcpgw.gateway.store.Ownerships;

/**
 * How many entities of each kind one tenant's admins may create ({@code MCPGW_MAX_ENTITIES_PER_TENANT}): every
 * upstream is a connection, health checks and a share of every catalog snapshot, every prompt and resource rows that
 * every tenant's catalog reads, so one tenant must not grow them without bound for everyone. Platform admins are not
 * limited. Concurrent creates may pass the limit by the number of requests in flight.
 */
public final class TenantQuota {
  /** No limit: in-process and test use of the services. */
  public static final TenantQuota NONE = new TenantQuota(null, Integer.MAX_VALUE);

  private final Ownerships ownerships;
  private final int maxPerKind;

  public TenantQuota(Ownerships ownerships, int maxPerKind) {
    if (maxPerKind < 1) {
      throw new IllegalArgumentException("maxPerKind must be at least 1, was " + maxPerKind);
    }
    this.ownerships = ownerships;
    this.maxPerKind = maxPerKind;
  }

  /**
   * @throws ApiException 403 naming the tenant, the count and the setting when {@code caller} (not a platform admin)
   *     would create one more entity of {@code kind} for {@code owner}'s tenant than allowed
   */
  public void requireRoom(Caller caller, Ownership owner, OwnedKind kind) {
    if (ownerships == null || caller.platformAdmin()) {
      return;
    }
    long n = ownerships.count(kind, owner.tenantId());
    if (n >= maxPerKind) {
      String what = switch (kind) {
        case GATEWAY -> "upstreams";
        case PROMPT -> "local prompts";
        case RESOURCE -> "local resources";
        case SERVER -> "virtual servers";
      };
      throw new ApiException(403, "tenant '" + owner.tenantId() + "' has " + n + " " + what + ", the most one tenant"
          + " may create (MCPGW_MAX_ENTITIES_PER_TENANT); delete some, or ask a platform admin", null);
    }
  }
}
