package dev.mcpgw.gateway.auth;

import java.util.Locale;
import java.util.Objects;

/**
 * Who sent a request: the user, tenant and role taken from the bearer token's claims (or the basic-auth operator),
 * available to every layer after the HTTP auth filter. See docs/adr/0014-tenancy.md for what each role may do.
 *
 * @param userId the token's {@code sub} claim
 * @param tenantId the token's {@code tenant} claim
 * @param role the token's {@code role} claim
 */
public record Caller(String userId, String tenantId, Role role) {
  /** The caller assumed when {@code MCPGW_AUTH_REQUIRED=false}: the operator of a private machine. */
  public static final Caller ANONYMOUS = new Caller("anonymous", Tenancy.DEFAULT_TENANT, Role.PLATFORM_ADMIN);

  /** What a caller may do; each role includes the rights of the ones before it. */
  public enum Role {
    /** Lists, reads and calls what its tenant owns or what is shared with it; writes nothing. */
    USER("user"),
    /** A user who also registers, changes and deletes its own tenant's entities. */
    TENANT_ADMIN("tenant_admin"),
    /** The operator: sees every tenant's entities, shares them across tenants, reads every metric. */
    PLATFORM_ADMIN("platform_admin");

    private final String claim;

    Role(String claim) {
      this.claim = claim;
    }

    /** The value of the token's {@code role} claim. */
    public String claim() {
      return claim;
    }

    /** The role a {@code role} claim names, or {@code null} when it names none. */
    public static Role fromClaim(String value) {
      if (value == null) {
        return null;
      }
      String v = value.trim().toLowerCase(Locale.ROOT);
      for (Role r : values()) {
        if (r.claim.equals(v)) {
          return r;
        }
      }
      return null;
    }
  }

  public Caller {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(role, "role");
  }

  /** A user ({@code admin=false}) or a tenant admin ({@code admin=true}) of {@code tenantId}. */
  public Caller(String userId, String tenantId, boolean admin) {
    this(userId, tenantId, admin ? Role.TENANT_ADMIN : Role.USER);
  }

  /** Whether the caller may write to the registry (within its tenant, or anywhere for a platform admin). */
  public boolean admin() {
    return role != Role.USER;
  }

  /** Whether the caller is the platform's operator. */
  public boolean platformAdmin() {
    return role == Role.PLATFORM_ADMIN;
  }

  /** The user id as a log field: control characters replaced by {@code ?} (see {@link #printable(String)}). */
  public String userIdForLog() {
    return printable(userId);
  }

  /** The tenant id as a log field: control characters replaced by {@code ?} (see {@link #printable(String)}). */
  public String tenantIdForLog() {
    return printable(tenantId);
  }

  /**
   * A token's claim with every control character (C0, DEL and C1) replaced by {@code ?}, so that a subject cannot
   * forge a log line of its own; the same instance when it has none, which is every id in practice (this runs per
   * request, so it scans instead of compiling a regex).
   */
  static String printable(String value) {
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        char[] chars = value.toCharArray();
        for (int j = i; j < chars.length; j++) {
          if (Character.isISOControl(chars[j])) {
            chars[j] = '?';
          }
        }
        return new String(chars);
      }
    }
    return value;
  }
}
