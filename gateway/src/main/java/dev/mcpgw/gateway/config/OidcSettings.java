package dev.mcpgw.gateway.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The gateway as an OAuth resource server: its public URL and the external identity providers whose tokens it
 * accepts besides its own HS256 tokens. See docs/authentication.md.
 *
 * @param publicUrl the gateway's external base URL ({@code MCPGW_PUBLIC_URL}), or {@code null} to derive the
 *     metadata's URLs from each request's scheme and (checked) {@code Host}
 * @param jwksRefreshInterval the shortest time between two fetches of one provider's keys (or discovery document):
 *     bounds what a flood of tokens with made-up {@code kid}s can cost the provider
 *     ({@code MCPGW_OIDC_JWKS_REFRESH_INTERVAL})
 * @param providers the trusted issuers, in configuration order (none: only the gateway's own tokens)
 */
public record OidcSettings(URI publicUrl, Duration jwksRefreshInterval, List<Provider> providers) {
  /** The default of {@code MCPGW_OIDC_JWKS_REFRESH_INTERVAL}. */
  public static final Duration DEFAULT_JWKS_REFRESH_INTERVAL = Duration.ofSeconds(30);
  /** No public URL, no provider. */
  public static final OidcSettings NONE = new OidcSettings(null, DEFAULT_JWKS_REFRESH_INTERVAL, List.of());

  public OidcSettings {
    Objects.requireNonNull(jwksRefreshInterval, "jwksRefreshInterval");
    providers = List.copyOf(providers);
  }

  /**
   * One trusted issuer and how its tokens' claims map to a caller.
   *
   * @param issuer the exact {@code iss} of its tokens ({@code MCPGW_OIDC_ISSUER})
   * @param jwksUrl where its keys are, or {@code null} to discover them from
   *     {@code <issuer>/.well-known/openid-configuration} ({@code MCPGW_OIDC_JWKS_URL})
   * @param audiences values one of which the token's {@code aud} must contain; empty: the gateway's resource URLs
   *     under {@code MCPGW_PUBLIC_URL} ({@code MCPGW_OIDC_AUDIENCE}, comma-separated)
   * @param userClaim the claim holding the user id ({@code MCPGW_OIDC_USER_CLAIM}, default {@code sub})
   * @param tenantClaim the claim holding the tenant id, or {@code null} when {@code tenant} is fixed
   *     ({@code MCPGW_OIDC_TENANT_CLAIM})
   * @param tenant the tenant of every token of this issuer when {@code tenantClaim} is {@code null}
   *     ({@code MCPGW_OIDC_TENANT})
   * @param rolesClaim the claim (or dotted path, e.g. {@code realm_access.roles}) holding role names
   *     ({@code MCPGW_OIDC_ROLES_CLAIM}, default {@code roles})
   * @param tenantAdminRole the role name that makes a tenant admin ({@code MCPGW_OIDC_TENANT_ADMIN_ROLE}, default
   *     {@code mcpgw-tenant-admin})
   * @param platformAdminRole the role name that makes a platform admin, or {@code null}: nobody of this issuer is
   *     ({@code MCPGW_OIDC_PLATFORM_ADMIN_ROLE})
   * @param requiredScopes scopes every token of this issuer must carry in {@code scope}/{@code scp}, else 403
   *     {@code insufficient_scope} ({@code MCPGW_OIDC_REQUIRED_SCOPES}, space- or comma-separated)
   */
  public record Provider(String issuer, URI jwksUrl, Set<String> audiences, String userClaim, String tenantClaim,
      String tenant, String rolesClaim, String tenantAdminRole, String platformAdminRole, Set<String> requiredScopes) {
    /** The default of {@code MCPGW_OIDC_USER_CLAIM}. */
    public static final String DEFAULT_USER_CLAIM = "sub";
    /** The default of {@code MCPGW_OIDC_ROLES_CLAIM}. */
    public static final String DEFAULT_ROLES_CLAIM = "roles";
    /** The default of {@code MCPGW_OIDC_TENANT_ADMIN_ROLE}. */
    public static final String DEFAULT_TENANT_ADMIN_ROLE = "mcpgw-tenant-admin";

    public Provider {
      Objects.requireNonNull(issuer, "issuer");
      audiences = Set.copyOf(audiences);
      Objects.requireNonNull(userClaim, "userClaim");
      if ((tenantClaim == null) == (tenant == null)) {
        throw new IllegalArgumentException("exactly one of tenantClaim and tenant must be set");
      }
      Objects.requireNonNull(rolesClaim, "rolesClaim");
      Objects.requireNonNull(tenantAdminRole, "tenantAdminRole");
      requiredScopes = Set.copyOf(requiredScopes);
    }
  }
}
