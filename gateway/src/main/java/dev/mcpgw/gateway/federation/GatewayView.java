package dev.mcpgw.gateway.federation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgw.gateway.auth.Caller;
import dev.mcpgw.gateway.secret.Masking;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An upstream as the admin API shows it: how it is reached (secret values masked by {@link Masking}: header and env
 * values, URL userinfo and query values), its health and what it offers. A caller who is not an admin sees it
 * through {@link #visibleTo}: without {@code command}, {@code args}, {@code env} and {@code headers}.
 *
 * @param status {@code healthy}, {@code unhealthy} or {@code connecting}
 * @param health the live session's view: connection, circuit breaker, last error
 * @param counts how many tools, resources, resourceTemplates and prompts are stored for it
 * @param tenant the owning tenant
 * @param visibility private, shared or public
 * @param sharedWith the tenants it is shared with (visibility shared)
 * @param credentials {@code shared} (the registration's headers) or {@code per-user} (each caller's own, ADR 0018)
 */
public record GatewayView(
    String id,
    String name,
    String transport,
    String url,
    String command,
    List<String> args,
    Map<String, String> env,
    Map<String, String> headers,
    String status,
    Health health,
    JsonNode capabilities,
    JsonNode serverInfo,
    Map<String, Integer> counts,
    Instant createdAt,
    Instant refreshedAt,
    String tenant,
    String visibility,
    java.util.Set<String> sharedWith,
    String credentials) {

  /**
   * This view as {@code caller} may see it: whole (secrets masked) for the admins who manage it (a platform admin, or
   * an admin of the owning tenant); for anyone else (users, and admins of tenants it is shared with) without how it
   * is run or the text of its last error (which can name the command). {@code sharedWith} is already cut to what the
   * caller may see when the view is made ({@code Ownership.sharedWithSeenBy}).
   */
  /** Whether calls to it carry each caller's own credential. */
  public boolean perUser() {
    return dev.mcpgw.gateway.store.UpstreamSpec.Credentials.PER_USER.wireName().equals(credentials);
  }

  public GatewayView visibleTo(Caller caller) {
    if (caller != null && (caller.platformAdmin() || (caller.admin() && caller.tenantId().equals(tenant)))) {
      return this;
    }
    Health shown = health == null ? null
        : new Health(health.connected(), health.circuitState(), null, health.lastErrorAt(), health.lastCheckedAt());
    return new GatewayView(id, name, transport, url, null, null, null, null, status, shown, capabilities, serverInfo,
        counts, createdAt, refreshedAt, tenant, visibility, sharedWith, credentials);
  }

  /**
   * @param connected whether the pool holds a session
   * @param circuitState the circuit breaker's state, {@code UNKNOWN} without a session
   * @param lastError the last failure, or {@code null}
   * @param lastErrorAt when, or {@code null}
   * @param lastCheckedAt when the gateway last connected or pinged, or {@code null}
   */
  public record Health(boolean connected, String circuitState, String lastError, Instant lastErrorAt, Instant lastCheckedAt) {}
}
