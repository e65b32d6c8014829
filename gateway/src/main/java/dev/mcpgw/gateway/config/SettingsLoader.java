package dev.mcpgw.gateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Resolves {@link GatewaySettings}: an environment variable wins over the YAML file's key, which wins over the
 * default. The YAML file is {@code MCPGW_CONFIG} when set (then it must exist), else {@code config/mcpgw.yaml} under
 * the working directory when present. YAML keys are the variable names without {@code MCPGW_}, in lower case
 * ({@code MCPGW_DATA_DIR} is {@code data_dir}); the file may also hold a {@code plugins:} section.
 */
public final class SettingsLoader {
  static final String CONFIG = "MCPGW_CONFIG";
  static final String DEFAULT_CONFIG = "config/mcpgw.yaml";
  private static final Set<String> SECTIONS = Set.of("plugins", "oidc");

  /** Every setting: its environment variable and its YAML key. */
  enum Key {
    HOST, PORT, DATA_DIR, DATABASE_URL, DATABASE_USER, DATABASE_PASSWORD, DATABASE_POOL_SIZE, JWT_SECRET, AUTH_REQUIRED,
    ADMIN_USER, ADMIN_PASSWORD, MAX_BODY_BYTES, UPSTREAM_CONNECT_TIMEOUT, UPSTREAM_REQUEST_TIMEOUT,
    UPSTREAM_MAX_RETRIES, UPSTREAM_RETRY_BACKOFF, UPSTREAM_BREAKER_FAILURES, UPSTREAM_BREAKER_OPEN,
    HEALTH_CHECK_INTERVAL, CATALOG_CACHE_TTL, ALLOWED_ORIGINS, SESSION_IDLE_TIMEOUT, MAX_SESSIONS,
    SSE_REPLAY_EVENTS, SECRET_KEY, SECRET_KEY_FILE, SESSIONS_MAX_PER_USER, SESSIONS_MAX_PER_TENANT, ALLOWED_HOSTS,
    HEADER_TIMEOUT, BODY_TIMEOUT, MAX_CONNECTIONS_PER_CLIENT, JWT_ISSUER, JWT_AUDIENCE, JWT_MAX_LIFETIME,
    UPSTREAM_DEDICATED_SESSIONS_MAX, UPSTREAM_DEDICATED_STDIO_SESSIONS_MAX, UPSTREAM_DEDICATED_SESSIONS_PER_USER,
    STDIO_ENV_ALLOW, MAX_ENTITIES_PER_TENANT, PUBLIC_URL, OIDC_JWKS_REFRESH_INTERVAL, LOG_FORMAT, ACCESS_LOG,
    TOKEN_ENCODING, SPAN_STORE, SPAN_STORE_RETENTION, SPAN_STORE_MAX_SPANS, SPAN_STORE_QUEUE_SIZE,
    SPAN_STORE_BATCH_SIZE, SPAN_STORE_PRUNE_INTERVAL, AUTH_CACHE_SIZE, AUTH_CACHE_TTL, PRICING_FILE,
    USAGE_FLUSH_INTERVAL, CONSOLE_TRACE_LINK;

    String env() {
      return "MCPGW_" + name();
    }

    String yaml() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Map<String, String> env;
  private final Path workingDir;

  private SettingsLoader(Map<String, String> env, Path workingDir) {
    this.env = Map.copyOf(env);
    this.workingDir = workingDir;
  }

  /** Loads from the process environment, relative to the current directory. */
  public static GatewaySettings fromEnvironment() {
    return load(System.getenv(), Path.of("").toAbsolutePath());
  }

  /**
   * @throws InvalidSettingException naming the key when a value is invalid or the YAML file cannot be read
   */
  public static GatewaySettings load(Map<String, String> env, Path workingDir) {
    return new SettingsLoader(env, workingDir).load();
  }

  private GatewaySettings load() {
    Path configFile = configFile();
    JsonNode yaml = readYaml(configFile);
    Values v = new Values(env, yaml, configFile);
    Path dataDir = v.path(Key.DATA_DIR, workingDir.resolve("data"));
    String dbUrl = v.text(Key.DATABASE_URL, "jdbc:sqlite:" + dataDir.resolve("mcpgw.db"));
    if (!dbUrl.startsWith("jdbc:sqlite:") && !dbUrl.startsWith("jdbc:postgresql:")) {
      throw new InvalidSettingException(Key.DATABASE_URL.env(),
          "unsupported database URL; allowed: jdbc:sqlite:<file> or jdbc:postgresql://<host>:<port>/<database>");
    }
    GatewaySettings.Database database = new GatewaySettings.Database(dbUrl, v.text(Key.DATABASE_USER, null),
        v.text(Key.DATABASE_PASSWORD, null), v.integer(Key.DATABASE_POOL_SIZE, 8, 1, 200));
    String secret = v.text(Key.JWT_SECRET, null);
    if (secret != null && secret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 32) {
      throw new InvalidSettingException(Key.JWT_SECRET.env(),
          "too short for HS256; allowed: at least 32 bytes (e.g. `openssl rand -base64 48`), or unset to generate one");
    }
    GatewaySettings.Auth auth = new GatewaySettings.Auth(v.bool(Key.AUTH_REQUIRED, true), secret,
        v.text(Key.ADMIN_USER, "admin"), v.text(Key.ADMIN_PASSWORD, null), tokenCache(v));
    GatewaySettings.Upstream ud = GatewaySettings.Upstream.DEFAULTS;
    GatewaySettings.Upstream upstream = new GatewaySettings.Upstream(
        v.duration(Key.UPSTREAM_CONNECT_TIMEOUT, ud.connectTimeout()),
        v.duration(Key.UPSTREAM_REQUEST_TIMEOUT, ud.requestTimeout()),
        v.integer(Key.UPSTREAM_MAX_RETRIES, ud.maxRetries(), 0, 10),
        v.duration(Key.UPSTREAM_RETRY_BACKOFF, ud.retryBackoff()),
        v.integer(Key.UPSTREAM_BREAKER_FAILURES, ud.breakerFailureThreshold(), 1, 1000),
        v.duration(Key.UPSTREAM_BREAKER_OPEN, ud.breakerOpenDuration()),
        new DedicatedSessionLimits(
            v.integer(Key.UPSTREAM_DEDICATED_SESSIONS_MAX, DedicatedSessionLimits.DEFAULT_PER_HTTP_UPSTREAM, 0,
                100_000),
            v.integer(Key.UPSTREAM_DEDICATED_STDIO_SESSIONS_MAX, DedicatedSessionLimits.DEFAULT_PER_STDIO_UPSTREAM, 0,
                10_000),
            v.integer(Key.UPSTREAM_DEDICATED_SESSIONS_PER_USER, DedicatedSessionLimits.DEFAULT_PER_USER, 0, 10_000)),
        stdioEnvironment(v.text(Key.STDIO_ENV_ALLOW, null)));
    return new GatewaySettings(
        v.text(Key.HOST, "127.0.0.1"),
        v.integer(Key.PORT, 4444, 0, 65535),
        dataDir,
        database,
        auth,
        v.integer(Key.MAX_BODY_BYTES, GatewaySettings.DEFAULT_MAX_BODY_BYTES, 1024, Integer.MAX_VALUE),
        upstream,
        v.duration(Key.HEALTH_CHECK_INTERVAL, Duration.ofSeconds(60)),
        v.duration(Key.CATALOG_CACHE_TTL, Duration.ofSeconds(30)),
        endpoints(v),
        web(v),
        jwt(v),
        yaml.path("plugins"),
        configFile,
        new GatewaySettings.Secrets(v.text(Key.SECRET_KEY, null),
            v.path(Key.SECRET_KEY_FILE, dataDir.resolve(GatewaySettings.Secrets.DEFAULT_KEY_FILE))),
        v.integer(Key.MAX_ENTITIES_PER_TENANT, GatewaySettings.DEFAULT_MAX_ENTITIES_PER_TENANT, 1, 1_000_000),
        oidc(v, yaml),
        logging(v),
        usage(v),
        spanStore(v));
  }

  private static GatewaySettings.SpanStore spanStore(Values v) {
    GatewaySettings.SpanStore d = GatewaySettings.SpanStore.DEFAULTS;
    return new GatewaySettings.SpanStore(v.bool(Key.SPAN_STORE, d.enabled()),
        v.duration(Key.SPAN_STORE_RETENTION, d.retention()),
        v.integer(Key.SPAN_STORE_MAX_SPANS, d.maxSpans(), 1, 100_000_000),
        v.integer(Key.SPAN_STORE_QUEUE_SIZE, d.queueSize(), 1, 10_000_000),
        v.integer(Key.SPAN_STORE_BATCH_SIZE, d.batchSize(), 1, 100_000),
        v.duration(Key.SPAN_STORE_PRUNE_INTERVAL, d.pruneInterval()),
        traceLink(v.text(Key.CONSOLE_TRACE_LINK, d.traceLink())));
  }

  private static String traceLink(String template) {
    if (template == null || template.isBlank()) {
      return null;
    }
    String t = template.trim();
    if (!t.matches("(?i)https?://[^\\s]+") || !t.contains(GatewaySettings.SpanStore.TRACE_ID_PLACEHOLDER)) {
      throw new InvalidSettingException(Key.CONSOLE_TRACE_LINK.env(), "'" + t + "' is not a link template; allowed:"
          + " an http:// or https:// URL without spaces holding " + GatewaySettings.SpanStore.TRACE_ID_PLACEHOLDER
          + ", e.g. http://localhost:16686/trace/{traceId}");
    }
    return t;
  }

  private static GatewaySettings.Usage usage(Values v) {
    String encoding = v.text(Key.TOKEN_ENCODING, GatewaySettings.Usage.DEFAULTS.tokenEncoding());
    if (!GatewaySettings.Usage.TOKEN_ENCODINGS.contains(encoding)) {
      throw new InvalidSettingException(Key.TOKEN_ENCODING.env(),
          "'" + encoding + "' is invalid; allowed: " + String.join(", ", GatewaySettings.Usage.TOKEN_ENCODINGS));
    }
    java.time.Duration flush = v.duration(Key.USAGE_FLUSH_INTERVAL, GatewaySettings.Usage.DEFAULTS.flushInterval());
    if (flush.isZero() || flush.isNegative()) {
      throw new InvalidSettingException(Key.USAGE_FLUSH_INTERVAL.env(), "'" + flush + "' is invalid; allowed: a positive"
          + " duration such as 5s");
    }
    return new GatewaySettings.Usage(encoding, v.path(Key.PRICING_FILE, null), flush);
  }

  private static GatewaySettings.Logging logging(Values v) {
    GatewaySettings.Logging d = GatewaySettings.Logging.DEFAULTS;
    String format = v.text(Key.LOG_FORMAT, d.format().name()).toUpperCase(Locale.ROOT);
    GatewaySettings.Logging.Format parsed = switch (format) {
      case "TEXT" -> GatewaySettings.Logging.Format.TEXT;
      case "JSON" -> GatewaySettings.Logging.Format.JSON;
      default -> throw new InvalidSettingException(Key.LOG_FORMAT.env(),
          "'" + format.toLowerCase(Locale.ROOT) + "' is invalid; allowed: text or json");
    };
    return new GatewaySettings.Logging(parsed, v.bool(Key.ACCESS_LOG, d.accessLog()));
  }

  /** The public URL and identity providers (docs/authentication.md). */
  private OidcSettings oidc(Values v, JsonNode yaml) {
    Set<String> globals = Set.of(Key.OIDC_JWKS_REFRESH_INTERVAL.env());
    return OidcSettingsLoader.load(env, globals, yaml.path("oidc"), v.text(Key.PUBLIC_URL, null),
        v.duration(Key.OIDC_JWKS_REFRESH_INTERVAL, OidcSettings.DEFAULT_JWKS_REFRESH_INTERVAL));
  }

  private static GatewaySettings.Endpoints endpoints(Values v) {
    GatewaySettings.Endpoints d = GatewaySettings.Endpoints.DEFAULTS;
    return new GatewaySettings.Endpoints(v.origins(Key.ALLOWED_ORIGINS),
        v.duration(Key.SESSION_IDLE_TIMEOUT, d.sessionIdleTimeout()),
        v.integer(Key.MAX_SESSIONS, d.maxSessions(), 1, 1_000_000),
        v.integer(Key.SSE_REPLAY_EVENTS, d.sseReplayEvents(), 1, 100_000),
        v.integer(Key.SESSIONS_MAX_PER_USER, d.maxSessionsPerUser(), 1, 1_000_000),
        v.integer(Key.SESSIONS_MAX_PER_TENANT, d.maxSessionsPerTenant(), 1, 1_000_000));
  }

  private static GatewaySettings.Web web(Values v) {
    GatewaySettings.Web d = GatewaySettings.Web.DEFAULTS;
    return new GatewaySettings.Web(v.hosts(Key.ALLOWED_HOSTS),
        v.duration(Key.HEADER_TIMEOUT, d.headerTimeout()),
        v.duration(Key.BODY_TIMEOUT, d.bodyTimeout()),
        v.integer(Key.MAX_CONNECTIONS_PER_CLIENT, d.maxConnectionsPerClient(), 1, 1_000_000));
  }

  private static GatewaySettings.TokenCache tokenCache(Values v) {
    GatewaySettings.TokenCache d = GatewaySettings.TokenCache.DEFAULTS;
    Duration ttl = v.duration(Key.AUTH_CACHE_TTL, d.ttl());
    if (ttl.compareTo(Duration.ofSeconds(1)) < 0 || ttl.compareTo(Duration.ofMinutes(15)) > 0) {
      throw new InvalidSettingException(Key.AUTH_CACHE_TTL.env(), "out of range; allowed: 1s to 15m (a verified "
          + "token outlives a key rotation by at most this much)");
    }
    return new GatewaySettings.TokenCache(v.integer(Key.AUTH_CACHE_SIZE, d.maxEntries(), 0, 1_000_000), ttl);
  }

  private static GatewaySettings.Jwt jwt(Values v) {
    GatewaySettings.Jwt d = GatewaySettings.Jwt.DEFAULTS;
    return new GatewaySettings.Jwt(v.text(Key.JWT_ISSUER, d.issuer()), v.text(Key.JWT_AUDIENCE, d.audience()),
        v.duration(Key.JWT_MAX_LIFETIME, d.maxLifetime()));
  }

  /** The default allow-list extended by a comma-separated list of names and {@code PREFIX_*}. */
  private static StdioEnvironment stdioEnvironment(String allow) {
    if (allow == null) {
      return StdioEnvironment.defaults();
    }
    try {
      return StdioEnvironment.extendedBy(Arrays.asList(allow.split(",")));
    } catch (IllegalArgumentException e) {
      throw new InvalidSettingException(Key.STDIO_ENV_ALLOW.env(), e.getMessage());
    }
  }

  private Path configFile() {
    String explicit = blankToNull(env.get(CONFIG));
    if (explicit != null) {
      Path p = workingDir.resolve(explicit);
      if (!Files.isRegularFile(p)) {
        throw new InvalidSettingException(CONFIG, "file " + p + " does not exist; allowed: a readable YAML file, or unset");
      }
      return p;
    }
    Path p = workingDir.resolve(DEFAULT_CONFIG);
    return Files.isRegularFile(p) ? p : null;
  }

  private static JsonNode readYaml(Path file) {
    if (file == null) {
      return MissingNode.getInstance();
    }
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    } catch (IOException e) {
      // the parser's message has the line and column, never a value worth hiding
      throw new InvalidSettingException(CONFIG, "cannot read " + file + " as YAML: " + firstLine(e.getMessage()));
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return MissingNode.getInstance();
    }
    if (!root.isObject()) {
      throw new InvalidSettingException(CONFIG, file + " must hold a YAML mapping of settings");
    }
    Set<String> known = Arrays.stream(Key.values()).map(Key::yaml).collect(Collectors.toCollection(TreeSet::new));
    known.addAll(SECTIONS);
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!known.contains(name)) {
        throw new InvalidSettingException(name, "unknown key in " + file + "; allowed: " + String.join(", ", known));
      }
    }
    return root;
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.lines().findFirst().orElse("");
  }

  static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  /** Looks a key up in env, then YAML; converts and validates. */
  private record Values(Map<String, String> env, JsonNode yaml, Path configFile) {
    String raw(Key key) {
      String fromEnv = blankToNull(env.get(key.env()));
      if (fromEnv != null) {
        return fromEnv;
      }
      JsonNode n = yaml.path(key.yaml());
      if (n.isMissingNode() || n.isNull()) {
        return null;
      }
      if (n.isContainerNode()) {
        throw new InvalidSettingException(key.env(), "'" + key.yaml() + "' in " + configFile + " must be a single value");
      }
      return blankToNull(n.asText());
    }

    String text(Key key, String fallback) {
      String r = raw(key);
      return r == null ? fallback : r;
    }

    Path path(Key key, Path fallback) {
      String r = raw(key);
      if (r == null) {
        return fallback;
      }
      try {
        return Path.of(r).toAbsolutePath();
      } catch (InvalidPathException e) {
        throw new InvalidSettingException(key.env(), "'" + r + "' is not a valid path; allowed: a directory path");
      }
    }

    int integer(Key key, int fallback, int min, int max) {
      String r = raw(key);
      if (r == null) {
        return fallback;
      }
      try {
        int n = Integer.parseInt(r);
        if (n >= min && n <= max) {
          return n;
        }
      } catch (NumberFormatException e) {
        // reported below with the allowed range
      }
      throw new InvalidSettingException(key.env(), "'" + r + "' is invalid; allowed: an integer from " + min + " to " + max);
    }

    boolean bool(Key key, boolean fallback) {
      String r = raw(key);
      if (r == null) {
        return fallback;
      }
      return switch (r.toLowerCase(Locale.ROOT)) {
        case "true", "yes", "1", "on" -> true;
        case "false", "no", "0", "off" -> false;
        default -> throw new InvalidSettingException(key.env(), "'" + r + "' is invalid; allowed: true or false");
      };
    }

    /** A comma-separated list of {@code scheme://host[:port]} origins (normalised to lower case), or {@code *}. */
    Set<String> origins(Key key) {
      String r = raw(key);
      if (r == null) {
        return Set.of();
      }
      Set<String> origins = new TreeSet<>();
      for (String part : r.split(",")) {
        String candidate = part.trim();
        if (candidate.isEmpty()) {
          continue;
        }
        if (!"*".equals(candidate) && !candidate.matches("(?i)https?://[^/?#\\s:@]+(:\\d{1,5})?")) {
          throw new InvalidSettingException(key.env(), "'" + candidate + "' is not an origin; allowed: a comma-separated "
              + "list of scheme://host[:port] such as https://app.example.com, or * for every origin");
        }
        origins.add(candidate.toLowerCase(Locale.ROOT));
      }
      return origins;
    }

    /** A comma-separated list of host names or IP addresses without port (lower case), or {@code *}. */
    Set<String> hosts(Key key) {
      String r = raw(key);
      if (r == null) {
        return Set.of();
      }
      Set<String> hosts = new TreeSet<>();
      for (String part : r.split(",")) {
        String candidate = part.trim();
        if (candidate.isEmpty()) {
          continue;
        }
        if (!"*".equals(candidate) && !candidate.matches("(?i)[a-z0-9._-]+|\\[[0-9a-f:.]+]")) {
          throw new InvalidSettingException(key.env(), "'" + candidate + "' is not a host name; allowed: a "
              + "comma-separated list of host names or IP addresses without port, such as mcp.example.com, or * for "
              + "every host");
        }
        hosts.add(candidate.toLowerCase(Locale.ROOT));
      }
      return hosts;
    }

    Duration duration(Key key, Duration fallback) {
      String r = raw(key);
      return r == null ? fallback : Durations.parse(key.env(), r);
    }
  }
}
