package dev.mcpgw.gateway.http;

import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * DNS-rebinding and cross-site request forgery protection: a browser page on a foreign origin must not reach a
 * gateway on loopback, nor change its registry. Requests without {@code Origin} (every non-browser client) pass, as do
 * loopback origins and the configured ones ({@code MCPGW_ALLOWED_ORIGINS}). The one rule of the MCP endpoints and of
 * the admin API's writes.
 */
public final class OriginPolicy {
  private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]", "::1");
  private final Set<String> allowed;

  /** @param allowed normalised {@code scheme://host[:port]} origins, or {@code *} */
  public OriginPolicy(Set<String> allowed) {
    this.allowed = allowed;
  }

  /** Whether a request with this {@code Origin} header (or none, {@code null}) is admitted. */
  public boolean allows(String origin) {
    if (origin == null || allowed.contains("*")) {
      return true;
    }
    try {
      URI u = URI.create(origin.trim());
      if (u.getScheme() == null || u.getHost() == null) {
        return false;
      }
      String host = u.getHost().toLowerCase(Locale.ROOT);
      if (LOOPBACK.contains(host)) {
        return true;
      }
      return allowed.contains(u.getScheme().toLowerCase(Locale.ROOT) + "://" + host
          + (u.getPort() == -1 ? "" : ":" + u.getPort()));
    } catch (IllegalArgumentException e) {
      // "null" (sandboxed frames) and garbage: refused
      return false;
    }
  }
}
