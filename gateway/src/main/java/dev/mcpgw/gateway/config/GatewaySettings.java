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
 * @param dataDir where the SQLite file, the generated JWT secret and the generated secret key live
 *     ({@code MCPGW_DATA_DIR})
 * @param database how to reach the registry database
 * @param auth how callers authenticate
 * @param maxBodyBytes the largest request body accepted before answering 413 ({@code MCPGW_MAX_BODY_BYTES})
 * @param upstream timeouts, retries and circuit breaking towards upstream MCP servers
 * @param healthCheckInterval how often every upstream is pinged ({@code MCPGW_HEALTH_CHECK_INTERVAL})
 * @param catalogCacheTtl how long a gateway instance serves its cached catalog before re-reading the database, so
 *     that instances sharing PostgreSQL see each other's writes ({@code MCPGW_CATALOG_CACHE_TTL})
 * @param endpoints how the downstream MCP endpoints admit browsers and keep sessions
 * @param web what the HTTP server admits: hosts, header and body deadlines, connections per client address
 * @param jwt what a bearer token must say besides its signature: issuer, audience, lifetime
 * @param plugins the raw {@code plugins:} node of the YAML file (a missing node when absent), for the plugin chain
 * @param configFile the YAML file that was read, or {@code null} when none was
 * @param secrets the key that encrypts upstream secrets in the registry
 * @param maxEntitiesPerTenant how many upstreams, and as many local prompts, local resources and virtual servers, one
 *     tenant's admins may create ({@code MCPGW_MAX_ENTITIES_PER_TENANT}); platform admins are not limited
 * @param oidc the public URL and the external identity providers whose tokens are accepted
 * @param logging how log lines are written: human lines or JSON, and the optional access log
 * @param spanStore the embedded span store behind the console and {@code /observability/*}
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
    Web web,
    Jwt jwt,
    JsonNode plugins,
    Path configFile,
    Secrets secrets,
    int maxEntitiesPerTenant,
    OidcSettings oidc,
    Logging logging,
    Usage usage,
    SpanStore spanStore) {
  /** The default of {@code MCPGW_MAX_BODY_BYTES}: 4 MiB. */
  public static final int DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

  /** The default of {@code MCPGW_MAX_ENTITIES_PER_TENANT}. */
  public static final int DEFAULT_MAX_ENTITIES_PER_TENANT = 500;


  public GatewaySettings {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(auth, "auth");
    Objects.requireNonNull(upstream, "upstream");
    Objects.requireNonNull(healthCheckInterval, "healthCheckInterval");
    Objects.requireNonNull(catalogCacheTtl, "catalogCacheTtl");
    Objects.requireNonNull(endpoints, "endpoints");
    Objects.requireNonNull(web, "web");
    Objects.requireNonNull(jwt, "jwt");
    Objects.requireNonNull(secrets, "secrets");
    oidc = oidc == null ? OidcSettings.NONE : oidc;
    logging = logging == null ? Logging.DEFAULTS : logging;
    usage = usage == null ? Usage.DEFAULTS : usage;
    spanStore = spanStore == null ? SpanStore.DEFAULTS : spanStore;
    plugins = plugins == null ? MissingNode.getInstance() : plugins;
    if (maxEntitiesPerTenant < 1) {
      throw new IllegalArgumentException("maxEntitiesPerTenant must be at least 1, was " + maxEntitiesPerTenant);
    }
  }

  /** The same settings listening elsewhere (the {@code serve --host/--port} options win over env and YAML). */
  public GatewaySettings withListen(String newHost, int newPort) {
    return new GatewaySettings(newHost, newPort, dataDir, database, auth, maxBodyBytes, upstream, healthCheckInterval,
        catalogCacheTtl, endpoints, web, jwt, plugins, configFile, secrets, maxEntitiesPerTenant, oidc, logging, usage, spanStore);
  }

  /**
   * The key of the registry's encrypted columns (upstream URL, args, env and headers).
   *
   * @param key the base64 of 32 bytes ({@code MCPGW_SECRET_KEY}), or {@code null} to use (or create) {@code keyFile};
   *     never printed
   * @param keyFile the key file ({@code MCPGW_SECRET_KEY_FILE}), generated with mode 0600 when missing
   */
  public record Secrets(String key, Path keyFile) {
    /** The key file's name in the data directory when {@code MCPGW_SECRET_KEY_FILE} is unset. */
    public static final String DEFAULT_KEY_FILE = "secret.key";

    public Secrets {
      Objects.requireNonNull(keyFile, "keyFile");
    }

    @Override
    public String toString() {
      return "Secrets[key=" + (key == null ? "file" : "****") + ", keyFile=" + keyFile + "]";
    }
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
  public record Auth(boolean required, String jwtSecret, String adminUser, String adminPassword,
      TokenCache tokenCache) {
    public Auth {
      tokenCache = tokenCache == null ? TokenCache.DEFAULTS : tokenCache;
    }

    /** With the default cache of verified tokens. */
    public Auth(boolean required, String jwtSecret, String adminUser, String adminPassword) {
      this(required, jwtSecret, adminUser, adminPassword, TokenCache.DEFAULTS);
    }

    @Override
    public String toString() {
      return "Auth[required=" + required + ", jwtSecret=" + (jwtSecret == null ? "file" : "****") + ", adminUser="
          + adminUser + ", adminPassword=" + (adminPassword == null ? "none" : "****") + ", tokenCache=" + tokenCache
          + "]";
    }
  }

  /**
   * The cache of verified bearer tokens (the gateway's own and identity providers'), keyed by a hash of the token.
   *
   * @param maxEntries how many verified tokens are kept at most; 0 turns the cache off ({@code MCPGW_AUTH_CACHE_SIZE})
   * @param ttl how long a verified token is kept at most, and never past its {@code exp} ({@code MCPGW_AUTH_CACHE_TTL})
   */
  public record TokenCache(int maxEntries, Duration ttl) {
    /** The defaults: 10,000 tokens, a minute each. */
    public static final TokenCache DEFAULTS = new TokenCache(10_000, Duration.ofSeconds(60));

    public TokenCache {
      Objects.requireNonNull(ttl, "ttl");
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
   * @param dedicatedSessions how many upstream sessions of their own clients may hold, per upstream and per user
   *     ({@code MCPGW_UPSTREAM_DEDICATED_*})
   * @param stdioEnvironment which of the gateway's environment variables stdio upstreams inherit
   *     ({@code MCPGW_STDIO_ENV_ALLOW} extends the default allow-list)
   */
  public record Upstream(
      Duration connectTimeout,
      Duration requestTimeout,
      int maxRetries,
      Duration retryBackoff,
      int breakerFailureThreshold,
      Duration breakerOpenDuration,
      DedicatedSessionLimits dedicatedSessions,
      StdioEnvironment stdioEnvironment) {
    public Upstream {
      Objects.requireNonNull(dedicatedSessions, "dedicatedSessions");
      Objects.requireNonNull(stdioEnvironment, "stdioEnvironment");
    }

    /**
     * The defaults of production ({@code MCPGW_UPSTREAM_*}) and of tests, their one home: 10 s to connect, 30 s per
     * request, 2 retries from 200 ms, the circuit opens after 5 failures for 30 s.
     */
    public static final Upstream DEFAULTS = new Upstream(Duration.ofSeconds(10), Duration.ofSeconds(30), 2,
        Duration.ofMillis(200), 5, Duration.ofSeconds(30));

    /** With the default bounds of dedicated sessions and the default stdio allow-list. */
    public Upstream(Duration connectTimeout, Duration requestTimeout, int maxRetries, Duration retryBackoff,
        int breakerFailureThreshold, Duration breakerOpenDuration) {
      this(connectTimeout, requestTimeout, maxRetries, retryBackoff, breakerFailureThreshold, breakerOpenDuration,
          DedicatedSessionLimits.defaults(), StdioEnvironment.defaults());
    }
  }

  /**
   * The downstream MCP endpoints ({@code /mcp}, {@code /servers/{id}/mcp}, legacy SSE).
   *
   * @param allowedOrigins browser origins ({@code scheme://host[:port]}) admitted besides loopback ones, or {@code *}
   *     for every origin ({@code MCPGW_ALLOWED_ORIGINS}, comma-separated)
   * @param sessionIdleTimeout how long a client session lives without requests ({@code MCPGW_SESSION_IDLE_TIMEOUT})
   * @param maxSessions the most client sessions kept at once; a new one is refused beyond, once expired ones are
   *     reclaimed ({@code MCPGW_MAX_SESSIONS})
   * @param sseReplayEvents how many events of each SSE stream are kept for a client that reconnects with
   *     {@code Last-Event-ID} ({@code MCPGW_SSE_REPLAY_EVENTS})
   * @param maxSessionsPerUser the most sessions one user (of one tenant) keeps at once; a new one is refused beyond
   *     ({@code MCPGW_SESSIONS_MAX_PER_USER})
   * @param maxSessionsPerTenant the most sessions the users of one tenant keep at once together; a new one is refused
   *     beyond ({@code MCPGW_SESSIONS_MAX_PER_TENANT})
   */
  public record Endpoints(Set<String> allowedOrigins, Duration sessionIdleTimeout, int maxSessions,
      int sseReplayEvents, int maxSessionsPerUser, int maxSessionsPerTenant) {
    /** The default of {@code MCPGW_SESSIONS_MAX_PER_USER}. */
    public static final int DEFAULT_MAX_SESSIONS_PER_USER = 100;
    /** The default of {@code MCPGW_SESSIONS_MAX_PER_TENANT}. */
    public static final int DEFAULT_MAX_SESSIONS_PER_TENANT = 1_000;
    /**
     * The defaults: loopback origins only, 30 min idle sessions, 10,000 sessions, 100 events kept per stream and the
     * per-user and per-tenant caps above.
     */
    public static final Endpoints DEFAULTS = new Endpoints(Set.of(), Duration.ofMinutes(30), 10_000, 100,
        DEFAULT_MAX_SESSIONS_PER_USER, DEFAULT_MAX_SESSIONS_PER_TENANT);

    public Endpoints {
      allowedOrigins = Set.copyOf(allowedOrigins);
      Objects.requireNonNull(sessionIdleTimeout, "sessionIdleTimeout");
    }

    /** With the default per-user and per-tenant session caps. */
    public Endpoints(Set<String> allowedOrigins, Duration sessionIdleTimeout, int maxSessions, int sseReplayEvents) {
      this(allowedOrigins, sessionIdleTimeout, maxSessions, sseReplayEvents, DEFAULT_MAX_SESSIONS_PER_USER,
          DEFAULT_MAX_SESSIONS_PER_TENANT);
    }

    /** With the default replay buffer of events per stream. */
    public Endpoints(Set<String> allowedOrigins, Duration sessionIdleTimeout, int maxSessions) {
      this(allowedOrigins, sessionIdleTimeout, maxSessions, DEFAULTS.sseReplayEvents());
    }
  }

  /**
   * What the HTTP server admits before any route runs.
   *
   * @param allowedHosts host names (no port) admitted in the {@code Host} header besides the loopback names and the
   *     bind address, or {@code *} for every host ({@code MCPGW_ALLOWED_HOSTS}, comma-separated, lower case)
   * @param headerTimeout how long a client may take to send a request's line and headers, counted from its first
   *     byte ({@code MCPGW_HEADER_TIMEOUT})
   * @param bodyTimeout how long reading one request body may take ({@code MCPGW_BODY_TIMEOUT})
   * @param maxConnectionsPerClient the most connections open at once from one client IP address
   *     ({@code MCPGW_MAX_CONNECTIONS_PER_CLIENT})
   */
  public record Web(Set<String> allowedHosts, Duration headerTimeout, Duration bodyTimeout,
      int maxConnectionsPerClient) {
    /** The defaults: loopback and bind address only, 15 s for headers, 60 s for a body, 256 connections. */
    public static final Web DEFAULTS = new Web(Set.of(), Duration.ofSeconds(15), Duration.ofSeconds(60), 256);

    public Web {
      allowedHosts = Set.copyOf(allowedHosts);
      Objects.requireNonNull(headerTimeout, "headerTimeout");
      Objects.requireNonNull(bodyTimeout, "bodyTimeout");
      if (maxConnectionsPerClient < 1) {
        throw new IllegalArgumentException("maxConnectionsPerClient must be at least 1, was " + maxConnectionsPerClient);
      }
    }
  }

  /**
   * The claims a bearer token must carry besides a valid signature.
   *
   * @param issuer the {@code iss} tokens must have and the gateway puts in the tokens it issues
   *     ({@code MCPGW_JWT_ISSUER})
   * @param audience a value the token's {@code aud} must contain ({@code MCPGW_JWT_AUDIENCE})
   * @param maxLifetime the longest {@code exp - iat} accepted and issued ({@code MCPGW_JWT_MAX_LIFETIME})
   */
  public record Jwt(String issuer, String audience, Duration maxLifetime) {
    /** The defaults: issuer and audience {@code mcpgw}, 30 days at most. */
    public static final Jwt DEFAULTS = new Jwt("mcpgw", "mcpgw", Duration.ofDays(30));

    public Jwt {
      Objects.requireNonNull(issuer, "issuer");
      Objects.requireNonNull(audience, "audience");
      Objects.requireNonNull(maxLifetime, "maxLifetime");
    }
  }

  /**
   * How the gateway writes its logs (docs/operations.md, "Logs").
   *
   * @param format {@code text}: human lines; {@code json}: one JSON object per line ({@code MCPGW_LOG_FORMAT})
   * @param accessLog one line per HTTP request on the logger {@code mcpgw.access} ({@code MCPGW_ACCESS_LOG})
   */
  public record Logging(Format format, boolean accessLog) {
    /** The defaults: human lines, no access log. */
    public static final Logging DEFAULTS = new Logging(Format.TEXT, false);

    /** The line format on stderr. */
    public enum Format { TEXT, JSON }

    public Logging {
      Objects.requireNonNull(format, "format");
    }
  }

  /**
   * Usage accounting.
   *
   * @param tokenEncoding the tokenizer's encoding for counting the tokens of tool arguments and results
   *     ({@code MCPGW_TOKEN_ENCODING}), one of {@link #TOKEN_ENCODINGS}
   * @param pricingFile the pricing table's YAML file ({@code MCPGW_PRICING_FILE}), or {@code null}: no prices, every
   *     cost 0
   * @param flushInterval how often the usage store's per-minute roll-ups are written to the database and quotas'
   *     figures re-read from it ({@code MCPGW_USAGE_FLUSH_INTERVAL})
   */
  public record Usage(String tokenEncoding, java.nio.file.Path pricingFile, java.time.Duration flushInterval) {
    /** The encodings the tokenizer knows (jtokkit's). */
    public static final java.util.List<String> TOKEN_ENCODINGS =
        java.util.List.of("r50k_base", "p50k_base", "p50k_edit", "cl100k_base", "o200k_base");
    /** The defaults: {@code o200k_base}, the encoding of current OpenAI models. */
    public static final Usage DEFAULTS = new Usage("o200k_base", null, java.time.Duration.ofSeconds(5));

    /** The defaults but the encoding. */
    public Usage(String tokenEncoding) {
      this(tokenEncoding, DEFAULTS.pricingFile(), DEFAULTS.flushInterval());
    }

    public Usage {
      Objects.requireNonNull(flushInterval, "flushInterval");
      if (!TOKEN_ENCODINGS.contains(tokenEncoding)) {
        throw new IllegalArgumentException("tokenEncoding: '" + tokenEncoding + "'; allowed: " + TOKEN_ENCODINGS);
      }
    }
  }

  /**
   * The embedded span store (docs/configuration.md, "Span store and console").
   *
   * @param enabled whether finished spans are also written to the registry database ({@code MCPGW_SPAN_STORE})
   * @param retention how long a span is kept ({@code MCPGW_SPAN_STORE_RETENTION})
   * @param maxSpans the most spans kept; the oldest go first ({@code MCPGW_SPAN_STORE_MAX_SPANS})
   * @param queueSize the most spans waiting for the writer; beyond it spans are dropped and counted
   *     ({@code MCPGW_SPAN_STORE_QUEUE_SIZE})
   * @param batchSize the most spans written in one transaction ({@code MCPGW_SPAN_STORE_BATCH_SIZE})
   * @param pruneInterval how often retention runs ({@code MCPGW_SPAN_STORE_PRUNE_INTERVAL})
   * @param traceLink the console's link from a trace into an external backend: an http(s) URL template with
   *     {@code {traceId}}, or {@code null} for none ({@code MCPGW_CONSOLE_TRACE_LINK})
   */
  public record SpanStore(boolean enabled, Duration retention, int maxSpans, int queueSize, int batchSize,
      Duration pruneInterval, String traceLink) {
    /** The defaults: on, 24 hours, 200,000 spans, 20,000 queued, batches of 10,000, pruned every minute, no link. */
    public static final SpanStore DEFAULTS = new SpanStore(true, Duration.ofHours(24), 200_000, 20_000, 10_000,
        Duration.ofMinutes(1), null);
    /** What {@code traceLink} must hold, where the trace id goes. */
    public static final String TRACE_ID_PLACEHOLDER = "{traceId}";

    public SpanStore {
      Objects.requireNonNull(retention, "retention");
      Objects.requireNonNull(pruneInterval, "pruneInterval");
      if (maxSpans < 1 || queueSize < 1 || batchSize < 1) {
        throw new IllegalArgumentException("span store sizes must be at least 1");
      }
      if (traceLink != null && traceLink.isBlank()) {
        traceLink = null;
      }
      if (traceLink != null
          && (!traceLink.matches("(?i)https?://[^\\s]+") || !traceLink.contains(TRACE_ID_PLACEHOLDER))) {
        throw new IllegalArgumentException("the trace link must be an http:// or https:// URL template without spaces"
            + " that holds " + TRACE_ID_PLACEHOLDER);
      }
    }

    /** Without a link into an external backend. */
    public SpanStore(boolean enabled, Duration retention, int maxSpans, int queueSize, int batchSize,
        Duration pruneInterval) {
      this(enabled, retention, maxSpans, queueSize, batchSize, pruneInterval, null);
    }
  }
}
