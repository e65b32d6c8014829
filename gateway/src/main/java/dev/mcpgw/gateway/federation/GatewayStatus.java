package dev.mcpgw.gateway.federation;

import java.time.Instant;

/**
 * The gateway's own view of one upstream's health, kept in memory and refreshed by every connect, discovery and
 * periodic ping.
 *
 * @param status {@code healthy}, {@code unhealthy} or {@code connecting}
 * @param lastCheckedAt when it was last connected to or pinged
 * @param lastError the last failure (names the upstream, never its secrets), or {@code null}
 */
public record GatewayStatus(String status, Instant lastCheckedAt, String lastError) {
  static final String HEALTHY = "healthy";
  static final String UNHEALTHY = "unhealthy";
  static final String CONNECTING = "connecting";

  static GatewayStatus connecting() {
    return new GatewayStatus(CONNECTING, null, null);
  }
}
