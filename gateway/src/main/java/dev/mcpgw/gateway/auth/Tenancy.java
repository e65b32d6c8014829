package dev.mcpgw.gateway.auth;

/** Names shared by the tenancy model (docs/adr/0014-tenancy.md). */
public final class Tenancy {
  /** The tenant that existing data migrates into, and the tenant of the anonymous and basic-auth callers. */
  public static final String DEFAULT_TENANT = "default";

  private Tenancy() {}
}
