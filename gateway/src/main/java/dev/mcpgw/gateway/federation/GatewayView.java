package dev.mcpgw.gateway.federation;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An upstream as the admin API shows it: how it is reached (secret values masked), its health and what it offers.
 *
 * @param status {@code healthy}, {@code unhealthy} or {@code connecting}
 * @param health the live session's view: connection, circuit breaker, last error
 * @param counts how many tools, resources, resourceTemplates and prompts are stored for it
 * @param tenant the owning tenant
 * @param visibility private, shared or public
 * @param sharedWith the tenants it is shared with (visibility shared)
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
    java.util.Set<String> sharedWith) {

  /**
   * @param connected whether the pool holds a session
   * @param circuitState the circuit breaker's state, {@code UNKNOWN} without a session
   * @param lastError the last failure, or {@code null}
   * @param lastErrorAt when, or {@code null}
   * @param lastCheckedAt when the gateway last connected or pinged, or {@code null}
   */
  public record Health(boolean connected, String circuitState, String lastError, Instant lastErrorAt, Instant lastCheckedAt) {}
}
