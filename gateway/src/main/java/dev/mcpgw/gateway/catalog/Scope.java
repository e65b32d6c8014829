package dev.mcpgw.gateway.catalog;

import dev.mcpgw.gateway.auth.Caller;
import dev.mcpgw.gateway.store.Ownership;

/**
 * Which part of the catalog a request sees: the endpoint ({@code /mcp} or one virtual server) and the audience (one
 * tenant, or every tenant for a platform admin). The one place the tenancy filter of docs/adr/0014-tenancy.md is
 * applied to MCP methods and catalog lists: the catalog computes and caches one view per scope, so a view built for
 * one tenant is never served to another.
 *
 * @param serverId the virtual server's id for {@code /servers/{id}/mcp}, or {@code null} for {@code /mcp}
 * @param tenantId the tenant whose view this is; {@code null} when {@code allTenants}
 * @param allTenants whether every tenant's entities are in view (a platform admin)
 */
public record Scope(String serverId, String tenantId, boolean allTenants) {
  /** Everything on {@code /mcp}, as a platform admin sees it. */
  public static final Scope ALL = new Scope(null, null, true);

  public Scope {
    if (allTenants) {
      tenantId = null;
    } else if (tenantId == null) {
      throw new IllegalArgumentException("a scope of one tenant needs the tenant");
    }
  }

  /** One virtual server, as a platform admin sees it. */
  public Scope(String serverId) {
    this(serverId, null, true);
  }

  /** What {@code caller} sees on {@code /mcp} ({@code serverId == null}) or on one virtual server. */
  public static Scope of(Caller caller, String serverId) {
    return caller.platformAdmin() ? new Scope(serverId, null, true) : new Scope(serverId, caller.tenantId(), false);
  }

  /** What {@code caller} sees on {@code /mcp} and in the admin API's lists. */
  public static Scope of(Caller caller) {
    return of(caller, null);
  }

  public boolean isAll() {
    return serverId == null;
  }

  /** Whether an entity owned as {@code owner} is in this audience's view. */
  public boolean sees(Ownership owner) {
    return allTenants || owner.visibleToTenant(tenantId);
  }

  /** Whether {@code tenant} is this audience's own (its entities win over shared ones with the same key). */
  boolean own(String tenant) {
    return !allTenants && tenantId.equals(tenant);
  }
}
