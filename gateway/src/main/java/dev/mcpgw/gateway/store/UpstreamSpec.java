package dev.mcpgw.gateway.store;

import dev.mcpgw.gateway.secret.Masking;
import java.util.List;
import java.util.Map;
import java.util.Objects;

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
 */
public record UpstreamSpec(
    String name,
    Transport transport,
    String url,
    String command,
    List<String> args,
    Map<String, String> env,
    Map<String, String> headers) {

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
      for (Transport t : values()) {
        if (t.wireName.equalsIgnoreCase(value)) {
          return t;
        }
      }
      return null;
    }
  }

  public UpstreamSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(transport, "transport");
    args = args == null ? List.of() : List.copyOf(args);
    env = env == null ? Map.of() : Map.copyOf(env);
    headers = headers == null ? Map.of() : Map.copyOf(headers);
  }

  @Override
  public String toString() {
    // the url, args, headers and env may hold credentials: never print their values
    return "UpstreamSpec[name=" + name + ", transport=" + transport.wireName() + ", url=" + Masking.url(url)
        + ", command=" + command + ", args=" + args.size() + ", env=" + env.keySet() + ", headers=" + headers.keySet()
        + "]";
  }
}
