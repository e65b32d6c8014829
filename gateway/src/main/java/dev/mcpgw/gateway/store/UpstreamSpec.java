package dev.mcpgw.gateway.store;

import dev.mcpgw.gateway.secret.Masking;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * How to reach one upstream MCP server: the transport-related fields of {@code POST /gateways}.
 *
 * @param name the registered name
 * @param transport how to talk to it
 * @param url the endpoint for {@code STREAMABLE_HTTP}, {@code STATELESS_HTTP} and {@code SSE}; {@code null} for stdio
 * @param command the executable for {@code STDIO}; {@code null} otherwise
 * @param args its arguments
 * @param env extra environment variables for the process
 * @param headers extra HTTP headers sent on every request (authentication for the upstream); never logged
 * @param credentials whose credentials its calls carry: the registration's {@code headers}, or each caller's own
 */
public record UpstreamSpec(
    String name,
    Transport transport,
    String url,
    String command,
    List<String> args,
    Map<String, String> env,
    Map<String, String> headers,
    Credentials credentials) {

  /** The upstream transports the gateway speaks. */
  public enum Transport {
    STREAMABLE_HTTP("streamablehttp"),
    /** Streamable HTTP spoken statelessly, MCP revision 2026-07-28: no session, {@code server/discover}. */
    STATELESS_HTTP("statelesshttp"),
    SSE("sse"),
    STDIO("stdio");

    private final String wireName;

    Transport(String wireName) {
      this.wireName = wireName;
    }

    /** The name used in the REST API and the database. */
    public String wireName() {
      return wireName;
    }

    /** Parses the REST API's name; {@code null} when unknown. */
    public static Transport fromWireName(String value) {
      return byWireName(values(), Transport::wireName, value);
    }
  }

  /**
   * Whose credentials an upstream's calls carry (ADR 0018): {@code SHARED}, the registration's headers for everyone;
   * {@code PER_USER}, each caller's own headers from the credential vault, on an upstream session of that caller's
   * own (the registration's headers then serve discovery and health checks only).
   */
  public enum Credentials {
    SHARED("shared"),
    PER_USER("per-user");

    private final String wireName;

    Credentials(String wireName) {
      this.wireName = wireName;
    }

    /** The name used in the REST API and the database. */
    public String wireName() {
      return wireName;
    }

    /** Parses the REST API's name; {@code null} when unknown. */
    public static Credentials fromWireName(String value) {
      return byWireName(values(), Credentials::wireName, value);
    }
  }

  /** The constant whose wire name is {@code value}, ignoring case; {@code null} when none is. */
  private static <E extends Enum<E>> E byWireName(E[] constants, Function<E, String> wireName, String value) {
    for (E e : constants) {
      if (wireName.apply(e).equalsIgnoreCase(value)) {
        return e;
      }
    }
    return null;
  }

  /** An upstream whose calls carry the registration's headers ({@link Credentials#SHARED}). */
  public UpstreamSpec(String name, Transport transport, String url, String command, List<String> args,
      Map<String, String> env, Map<String, String> headers) {
    this(name, transport, url, command, args, env, headers, Credentials.SHARED);
  }

  /** This spec with {@code replacement} as its headers (a caller's own, for a per-user upstream). */
  public UpstreamSpec withHeaders(Map<String, String> replacement) {
    return new UpstreamSpec(name, transport, url, command, args, env, replacement, credentials);
  }

  public boolean perUser() {
    return credentials == Credentials.PER_USER;
  }

  public UpstreamSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(transport, "transport");
    args = args == null ? List.of() : List.copyOf(args);
    env = env == null ? Map.of() : Map.copyOf(env);
    headers = headers == null ? Map.of() : Map.copyOf(headers);
    credentials = credentials == null ? Credentials.SHARED : credentials;
  }

  @Override
  public String toString() {
    // the url, args, headers and env may hold credentials: never print their values
    return "UpstreamSpec[name=" + name + ", transport=" + transport.wireName() + ", url=" + Masking.url(url)
        + ", command=" + command + ", args=" + args.size() + ", env=" + env.keySet() + ", headers=" + headers.keySet()
        + ", credentials=" + credentials.wireName() + "]";
  }
}
