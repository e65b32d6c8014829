package dev.mcpgw.gateway.transport;

import dev.mcpgw.gateway.config.GatewaySettings;
import dev.mcpgw.gateway.mcp.McpDispatcher;
import dev.mcpgw.gateway.upstream.UpstreamSettings;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How the downstream MCP endpoints behave.
 *
 * @param maxBodyBytes the largest JSON-RPC body accepted (413 beyond)
 * @param requestTimeout how long one forwarded request may take before the client gets an error naming the upstream
 * @param allowedOrigins browser origins ({@code scheme://host[:port]}) allowed besides loopback ones; {@code *} allows
 *     every origin (turns DNS-rebinding protection off)
 * @param sessionIdleTimeout how long a session lives without requests
 * @param maxSessions the most sessions kept at once (a new one is refused beyond, once expired ones are reclaimed)
 * @param keepAliveInterval how often open SSE streams get a comment line, so dead clients are noticed
 * @param listChangedInterval how often the catalog is compared with what open streams last saw, to send
 *     the {@code list_changed} notifications
 * @param replayEvents how many events of each Streamable HTTP SSE stream are kept for a client that reconnects with
 *     {@code Last-Event-ID} (per stream; a session keeps its GET stream and its last
 *     {@value McpSession#KEPT_ANSWER_STREAMS} POST answer streams)
 * @param maxSessionsPerUser the most sessions one user of one tenant keeps at once (a new one is refused beyond)
 * @param maxSessionsPerTenant the most sessions one tenant's users keep at once together (a new one is refused beyond)
 */
public record McpSettings(
    long maxBodyBytes,
    Duration requestTimeout,
    Set<String> allowedOrigins,
    Duration sessionIdleTimeout,
    int maxSessions,
    Duration keepAliveInterval,
    Duration listChangedInterval,
    int replayEvents,
    int maxSessionsPerUser,
    int maxSessionsPerTenant) {

  public McpSettings {
    if (maxBodyBytes < 1) {
      throw new IllegalArgumentException("maxBodyBytes must be at least 1, was " + maxBodyBytes);
    }
    positive(requestTimeout, "requestTimeout");
    positive(sessionIdleTimeout, "sessionIdleTimeout");
    positive(keepAliveInterval, "keepAliveInterval");
    positive(listChangedInterval, "listChangedInterval");
    if (replayEvents < 1) {
      throw new IllegalArgumentException("replayEvents must be at least 1, was " + replayEvents);
    }
    if (maxSessions < 1) {
      throw new IllegalArgumentException("maxSessions must be at least 1, was " + maxSessions);
    }
    if (maxSessionsPerUser < 1 || maxSessionsPerTenant < 1) {
      throw new IllegalArgumentException("maxSessionsPerUser and maxSessionsPerTenant must be at least 1, were "
          + maxSessionsPerUser + " and " + maxSessionsPerTenant);
    }
    allowedOrigins = allowedOrigins == null ? Set.of() : allowedOrigins.stream().map(McpSettings::origin)
        .collect(Collectors.toUnmodifiableSet());
  }

  /** How often open SSE streams get a comment line by default: as often as a waiting client is probed. */
  public static final Duration DEFAULT_KEEP_ALIVE_INTERVAL = McpDispatcher.DEFAULT_PROBE_INTERVAL;
  /** How often the catalog is compared with what open streams last saw, by default. */
  public static final Duration DEFAULT_LIST_CHANGED_INTERVAL = Duration.ofSeconds(2);

  /**
   * The defaults of production and of tests: the gateway's defaults for the body limit
   * ({@link GatewaySettings#DEFAULT_MAX_BODY_BYTES}), the upstream request timeout ({@link UpstreamSettings#DEFAULTS})
   * and the endpoints ({@link GatewaySettings.Endpoints#DEFAULTS}), with keep-alive every 15 s and list changes
   * noticed within 2 s.
   */
  public static final McpSettings DEFAULTS = from(GatewaySettings.DEFAULT_MAX_BODY_BYTES,
      UpstreamSettings.DEFAULTS.requestTimeout(), GatewaySettings.Endpoints.DEFAULTS);

  /**
   * The endpoint settings from the gateway's: its body limit, upstream request timeout, allowed origins and session
   * limits ({@code MCPGW_ALLOWED_ORIGINS}, {@code MCPGW_SESSION_IDLE_TIMEOUT}, {@code MCPGW_MAX_SESSIONS},
   * {@code MCPGW_SESSIONS_MAX_PER_USER}, {@code MCPGW_SESSIONS_MAX_PER_TENANT}).
   */
  public static McpSettings from(GatewaySettings settings) {
    return from(settings.maxBodyBytes(), settings.upstream().requestTimeout(), settings.endpoints());
  }

  private static McpSettings from(long maxBodyBytes, Duration requestTimeout, GatewaySettings.Endpoints e) {
    return new McpSettings(maxBodyBytes, requestTimeout, e.allowedOrigins(), e.sessionIdleTimeout(), e.maxSessions(),
        DEFAULT_KEEP_ALIVE_INTERVAL, DEFAULT_LIST_CHANGED_INTERVAL, e.sseReplayEvents(), e.maxSessionsPerUser(),
        e.maxSessionsPerTenant());
  }

  public McpSettings withRequestTimeout(Duration timeout) {
    return new McpSettings(maxBodyBytes, timeout, allowedOrigins, sessionIdleTimeout, maxSessions, keepAliveInterval,
        listChangedInterval, replayEvents, maxSessionsPerUser, maxSessionsPerTenant);
  }

  public McpSettings withMaxBodyBytes(long max) {
    return new McpSettings(max, requestTimeout, allowedOrigins, sessionIdleTimeout, maxSessions, keepAliveInterval,
        listChangedInterval, replayEvents, maxSessionsPerUser, maxSessionsPerTenant);
  }

  public McpSettings withIntervals(Duration keepAlive, Duration listChanged) {
    return new McpSettings(maxBodyBytes, requestTimeout, allowedOrigins, sessionIdleTimeout, maxSessions, keepAlive,
        listChanged, replayEvents, maxSessionsPerUser, maxSessionsPerTenant);
  }

  public McpSettings withAllowedOrigins(Set<String> origins) {
    return new McpSettings(maxBodyBytes, requestTimeout, origins, sessionIdleTimeout, maxSessions, keepAliveInterval,
        listChangedInterval, replayEvents, maxSessionsPerUser, maxSessionsPerTenant);
  }

  public McpSettings withReplayEvents(int events) {
    return new McpSettings(maxBodyBytes, requestTimeout, allowedOrigins, sessionIdleTimeout, maxSessions,
        keepAliveInterval, listChangedInterval, events, maxSessionsPerUser, maxSessionsPerTenant);
  }

  public McpSettings withSessionCaps(int total, int perUser, int perTenant) {
    return new McpSettings(maxBodyBytes, requestTimeout, allowedOrigins, sessionIdleTimeout, total, keepAliveInterval,
        listChangedInterval, replayEvents, perUser, perTenant);
  }

  private static void positive(Duration d, String field) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(field + " must be a positive duration, was " + d);
    }
  }

  /** Normalises {@code scheme://host[:port]}; {@code *} stays as it is. */
  private static String origin(String value) {
    if ("*".equals(value)) {
      return value;
    }
    try {
      URI u = URI.create(value.trim());
      if (u.getScheme() == null || u.getHost() == null || (u.getPath() != null && !u.getPath().isEmpty())) {
        throw new IllegalArgumentException("allowedOrigins: '" + value + "' is not an origin like https://app.example.com");
      }
      return u.getScheme().toLowerCase(Locale.ROOT) + "://" + u.getHost().toLowerCase(Locale.ROOT)
          + (u.getPort() == -1 ? "" : ":" + u.getPort());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("allowedOrigins: '" + value + "' is not an origin like https://app.example.com");
    }
  }
}
