package dev.mcpgw.gateway.store;

import dev.mcpgw.gateway.auth.Caller;
import dev.mcpgw.gateway.auth.Tenancy;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The tenant a registry entity belongs to and who else sees it. The one home of the visibility rule of
 * docs/adr/0014-tenancy.md.
 *
 * @param tenantId the owning tenant
 * @param visibility private, shared or public
 * @param sharedWith the tenants it is shared with (meaningful for {@link Visibility#SHARED} only)
 */
public record Ownership(String tenantId, Visibility visibility, Set<String> sharedWith) {
  /** What rows written before tenancy migrate to. */
  public static final Ownership DEFAULT_PRIVATE = privateTo(Tenancy.DEFAULT_TENANT);

  public Ownership {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(visibility, "visibility");
    sharedWith = visibility == Visibility.SHARED ? Set.copyOf(sharedWith) : Set.of();
  }

  public static Ownership privateTo(String tenantId) {
    return new Ownership(tenantId, Visibility.PRIVATE, Set.of());
  }

  public static Ownership publicOf(String tenantId) {
    return new Ownership(tenantId, Visibility.PUBLIC, Set.of());
  }

  /** Whether callers of {@code tenant} see the entity (platform admins see everything: see {@link #visibleTo(Caller)}). */
  public boolean visibleToTenant(String tenant) {
    return tenantId.equals(tenant)
        || visibility == Visibility.PUBLIC
        || (visibility == Visibility.SHARED && sharedWith.contains(tenant));
  }

  public boolean visibleTo(Caller caller) {
    return caller.platformAdmin() || visibleToTenant(caller.tenantId());
  }

  /** Whether {@code caller} may change or delete the entity: a platform admin, or an admin of the owning tenant. */
  public boolean manageableBy(Caller caller) {
    return caller.platformAdmin() || (caller.admin() && tenantId.equals(caller.tenantId()));
  }

  /** The shared-with tenants, sorted, for answers. */
  public Set<String> sortedSharedWith() {
    return new TreeSet<>(sharedWith);
  }

  /**
   * The shared-with tenants as {@code caller} may read them, sorted: all of them for a platform admin and for the
   * owning tenant; for another tenant only itself (who else an entity is shared with names other customers).
   */
  public Set<String> sharedWithSeenBy(Caller caller) {
    if (caller.platformAdmin() || tenantId.equals(caller.tenantId())) {
      return sortedSharedWith();
    }
    return sharedWith.contains(caller.tenantId()) ? new TreeSet<>(Set.of(caller.tenantId())) : new TreeSet<>();
  }
}
