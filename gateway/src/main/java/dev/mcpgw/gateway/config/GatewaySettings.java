package dev.mcpgw.gateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Everything the gateway is configured with, resolved once at start-up by {@link SettingsLoader}. Every key is
 * documented in {@code docs/configuration.md}, section "Gateway settings".
 *
 * @param host the interface to listen on ({@code MCPGW_HOST})
 * @param port the TCP port ({@code MCPGW_PORT}); 0 picks a free one
 * @param dataDir where the SQLite file and the generated JWT secret live ({@code MCPGW_DATA_DIR})
 * @param database how to reach the registry database
 * @param auth how callers authenticate
 * @param maxBodyBytes the largest request body accepted before answering 413 ({@code MCPGW_MAX_BODY_BYTES})
 * @param upstream timeouts, retries and circuit breaking towards upstream MCP servers
 * @param healthCheckInterval how often every upstream is pinged ({@code MCPGW_HEALTH_CHECK_INTERVAL})
 * @param catalogCacheTtl how long a gateway instance serves its cached catalog before re-reading the database, so
 *     that instances sharing PostgreSQL see each other's writes ({@code MCPGW_CATALOG_CACHE_TTL})
 * @param endpoints how the downstream MCP endpoints admit browsers and keep sessions
 * @param plugins the raw {@code plugins:} node of the YAML file (a missing node when absent), for the plugin chain
 * @param configFile the YAML file that was read, or {@code null} when none was
 * @param maxEntitiesPerTenant how many upstreams, and as many local prompts, local resources and virtual servers, one
 *     tenant's admins may create ({@code MCPGW_MAX_ENTITIES_PER_TENANT}); platform admins are not limited
 */
public record GatewaySettings(
    String host,
    int port,
    Path dataDir,
    Database database,
    Auth auth,
    long maxBodyBytes,
    Upstream upstream,
    Duration healthCheckInterval,
    Duration catalogCacheTtl,
    Endpoints endpoints,
    JsonNode plugins,
    Path configFile,
    int maxEntitiesPerTenant) {

  public GatewaySettings {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(auth, "auth");
    Objects.requireNonNull(upstream, "upstream");
    Objects.requireNonNull(healthCheckInterval, "healthCheckInterval");
    Objects.requireNonNull(catalogCacheTtl, "catalogCacheTtl");
    Objects.requireNonNull(endpoints, "endpoints");
    plugins = plugins == null ? MissingNode.getInstance() : plugins;
    if (maxEntitiesPerTenant < 1) {
      throw new IllegalArgumentException("maxEntitiesPerTenant must be at least 1, was " + maxEntitiesPerTenant);
    }
  }

  /** The same settings listening elsewhere (the {@code serve --host/--port} options win over env and YAML). */
  public GatewaySettings withListen(String newHost, int newPort) {
    return new GatewaySettings(newHost, newPort, dataDir, database, auth, maxBodyBytes, upstream, healthCheckInterval,
        catalogCacheTtl, endpoints, plugins, configFile, maxEntitiesPerTenant);
  }

  /**
   * The registry database.
   *
   * @param url a {@code jdbc:sqlite:} or {@code jdbc:postgresql:} URL ({@code MCPGW_DATABASE_URL})
   * @param user the database user, or {@code null} ({@code MCPGW_DATABASE_USER})
   * @param password the database password, or {@code null} ({@code MCPGW_DATABASE_PASSWORD}); never printed
   * @param poolSize the most connections kept open ({@code MCPGW_DATABASE_POOL_SIZE})
   */
  public record Database(String url, String user, String password, int poolSize) {
    public boolean isSqlite() {
      return url.startsWith("jdbc:sqlite:");
    }

    @Override
    public String toString() {
      return "Database[url=" + url + ", user=" + user + ", password=" + (password == null ? "none" : "****")
          + ", poolSize=" + poolSize + "]";
    }
  }

  /**
   * Authentication of callers.
   *
   * @param required whether requests without valid credentials are refused ({@code MCPGW_AUTH_REQUIRED})
   * @param jwtSecret the HS256 signing secret, or {@code null} to use (or create) {@code <data dir>/jwt.secret}
   * @param adminUser the basic-auth admin's user name ({@code MCPGW_ADMIN_USER})
   * @param adminPassword the basic-auth admin's password, or {@code null} to turn basic auth off
   */
  public record Auth(boolean required, String jwtSecret, String adminUser, String adminPassword) {
    @Override
    public String toString() {
      return "Auth[required=" + required + ", jwtSecret=" + (jwtSecret == null ? "file" : "****") + ", adminUser="
          + adminUser + ", adminPassword=" + (adminPassword == null ? "none" : "****") + "]";
    }
  }

  /**
   * How the gateway treats upstream MCP servers.
   *
   * @param connectTimeout how long connecting and the initialize handshake may take
   * @param requestTimeout how long one request may wait for its answer
   * @param maxRetries retries of idempotent (list) calls after the first attempt
   * @param retryBackoff the wait before the first retry (doubling after)
   * @param breakerFailureThreshold consecutive failures that open an upstream's circuit breaker
   * @param breakerOpenDuration how long an open breaker refuses calls before letting one through
   */
  public record Upstream(
      Duration connectTimeout,
      Duration requestTimeout,
      int maxRetries,
      Duration retryBackoff,
      int breakerFailureThreshold,
      Duration breakerOpenDuration) {}

  /**
   * The downstream MCP endpoints ({@code /mcp}, {@code /servers/{id}/mcp}, legacy SSE).
   *
   * @param allowedOrigins browser origins ({@code scheme://host[:port]}) admitted besides loopback ones, or {@code *}
   *     for every origin ({@code MCPGW_ALLOWED_ORIGINS}, comma-separated)
   * @param sessionIdleTimeout how long a client session lives without requests ({@code MCPGW_SESSION_IDLE_TIMEOUT})
   * @param maxSessions the most client sessions kept at once; the least recently used goes beyond
   *     ({@code MCPGW_MAX_SESSIONS})
   * @param sseReplayEvents how many events of each SSE stream are kept for a client that reconnects with
   *     {@code Last-Event-ID} ({@code MCPGW_SSE_REPLAY_EVENTS})
   */
  public record Endpoints(Set<String> allowedOrigins, Duration sessionIdleTimeout, int maxSessions,
      int sseReplayEvents) {
    public Endpoints {
      allowedOrigins = Set.copyOf(allowedOrigins);
      Objects.requireNonNull(sessionIdleTimeout, "sessionIdleTimeout");
    }

    /** With the default replay buffer of 100 events per stream. */
    public Endpoints(Set<String> allowedOrigins, Duration sessionIdleTimeout, int maxSessions) {
      this(allowedOrigins, sessionIdleTimeout, maxSessions, 100);
    }
  }
}
