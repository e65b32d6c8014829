package dev.mcpgw.gateway.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a stdio upstream's process gets as its environment: never the gateway's whole environment (it holds the JWT
 * signing secret, database and admin passwords, OTLP headers), only the variables named by an allow-list, then the
 * upstream's own {@code env}, which wins. The allow-list is {@link #DEFAULT_ALLOW} extended by
 * {@code MCPGW_STDIO_ENV_ALLOW}; an entry is a name or a prefix ending in {@code *} ({@code LC_*}), matched without
 * regard to case. Whatever the allow-list says, the gateway's own variables ({@code MCPGW_*}, {@code OTEL_*}, the
 * JVM's option variables) and every name that looks like a secret ({@link #isSecretLike}) are never inherited: give
 * a credential to the one upstream that needs it in that upstream's {@code env}.
 */
public final class StdioEnvironment {
  /**
   * What a command needs to run as the gateway's user: where programs and home are, the locale and time zone, the
   * temporary and XDG directories, the terminal, CA certificates, and what {@code npx} needs to run from its cache.
   */
  public static final List<String> DEFAULT_ALLOW = List.of("PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG",
      "LANGUAGE", "LC_*", "TZ", "TMPDIR", "TEMP", "TMP", "TERM", "XDG_CACHE_HOME", "XDG_CONFIG_HOME",
      "XDG_DATA_HOME", "XDG_RUNTIME_DIR", "SSL_CERT_FILE", "SSL_CERT_DIR", "NODE_EXTRA_CA_CERTS", "NPM_CONFIG_CACHE",
      "NPM_CONFIG_OFFLINE", "NPM_CONFIG_PREFER_OFFLINE", "NPM_CONFIG_REGISTRY", "NPM_CONFIG_USERCONFIG");

  /** The gateway's own: never inherited, whatever the allow-list says. */
  private static final List<String> GATEWAY_PREFIXES = List.of("MCPGW_", "OTEL_");
  private static final List<String> GATEWAY_NAMES = List.of("JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS",
      "JDK_JAVA_OPTIONS", "CLASSPATH", "JAVA_OPTS");
  /** Parts of a name that mark a credential. */
  private static final List<String> SECRET_PARTS = List.of("SECRET", "PASSWORD", "PASSWD", "TOKEN", "CREDENTIAL",
      "PRIVATE", "APIKEY", "API_KEY", "AUTH", "COOKIE", "SESSION");
  private static final List<String> SECRET_PREFIXES = List.of("DATABASE_", "PG", "MYSQL", "JDBC_");
  private static final Pattern ENTRY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*\\*?");

  private final List<String> exact;
  private final List<String> prefixes;

  private StdioEnvironment(List<String> allow) {
    List<String> names = new ArrayList<>();
    List<String> starts = new ArrayList<>();
    for (String entry : allow) {
      String upper = entry.toUpperCase(Locale.ROOT);
      if (upper.endsWith("*")) {
        starts.add(upper.substring(0, upper.length() - 1));
      } else {
        names.add(upper);
      }
    }
    this.exact = List.copyOf(names);
    this.prefixes = List.copyOf(starts);
  }

  /** The default allow-list alone. */
  public static StdioEnvironment defaults() {
    return new StdioEnvironment(DEFAULT_ALLOW);
  }

  /**
   * The default allow-list extended by {@code extra}.
   *
   * @throws IllegalArgumentException naming the entry when it is not a name or {@code PREFIX_*}, or names what is
   *     never inherited (the gateway's own variables, a secret-like name)
   */
  public static StdioEnvironment extendedBy(List<String> extra) {
    List<String> all = new ArrayList<>(DEFAULT_ALLOW);
    for (String raw : Objects.requireNonNull(extra, "extra")) {
      String entry = raw == null ? "" : raw.trim();
      if (entry.isEmpty()) {
        continue;
      }
      if (!ENTRY.matcher(entry).matches()) {
        throw new IllegalArgumentException("'" + entry + "' is not a variable name; allowed: names such as MY_VAR or"
            + " prefixes such as MY_APP_* (a lone * is not allowed)");
      }
      String upper = entry.toUpperCase(Locale.ROOT);
      String name = upper.endsWith("*") ? upper.substring(0, upper.length() - 1) : upper;
      boolean prefix = upper.endsWith("*");
      if (isGatewayOwn(name) || (prefix && GATEWAY_PREFIXES.stream().anyMatch(p -> p.startsWith(name)))) {
        throw new IllegalArgumentException("'" + entry + "' names the gateway's own variables, which a stdio upstream"
            + " never inherits");
      }
      if (!prefix && isSecretLike(name)) {
        throw new IllegalArgumentException("'" + entry + "' looks like a secret, which a stdio upstream never"
            + " inherits; put it in the env of the upstream that needs it instead");
      }
      all.add(entry);
    }
    return new StdioEnvironment(all);
  }

  /**
   * The complete environment of a child: the allowed variables of {@code gateway} (the gateway's environment), then
   * {@code own} (the upstream's {@code env}), which wins.
   */
  public Map<String, String> forChild(Map<String, String> gateway, Map<String, String> own) {
    Map<String, String> child = new LinkedHashMap<>();
    gateway.forEach((name, value) -> {
      if (name != null && value != null && inherits(name)) {
        child.put(name, value);
      }
    });
    child.putAll(own);
    return child;
  }

  /** Whether a variable of this name passes from the gateway's environment to a stdio upstream. */
  public boolean inherits(String name) {
    String upper = name.toUpperCase(Locale.ROOT);
    if (isGatewayOwn(upper) || isSecretLike(upper)) {
      return false;
    }
    return exact.contains(upper) || prefixes.stream().anyMatch(upper::startsWith);
  }

  private static boolean isGatewayOwn(String upper) {
    return GATEWAY_NAMES.contains(upper) || GATEWAY_PREFIXES.stream().anyMatch(upper::startsWith);
  }

  /** Whether {@code upper} (an upper-case name) looks like it holds a credential or a database's settings. */
  static boolean isSecretLike(String upper) {
    return upper.endsWith("_KEY") || upper.equals("KEY") || SECRET_PARTS.stream().anyMatch(upper::contains)
        || SECRET_PREFIXES.stream().anyMatch(upper::startsWith);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StdioEnvironment other && exact.equals(other.exact) && prefixes.equals(other.prefixes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(exact, prefixes);
  }

  @Override
  public String toString() {
    return "StdioEnvironment[allow=" + exact + ", prefixes=" + prefixes + "]";
  }
}
