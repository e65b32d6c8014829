package dev.mcpgw.gateway.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.jsonrpc.JsonRpc;
import dev.mcpgw.gateway.jsonrpc.RpcException;
import dev.mcpgw.gateway.mcp.ProtocolVersions;
import java.util.Iterator;

/**
 * Tells requests of the stateless 2026-07-28 revision from session requests on a Streamable HTTP POST, and answers
 * them. A POST without {@code Mcp-Session-Id} is stateless when its {@code MCP-Protocol-Version} header names a
 * revision that has no sessions (any but the session-era ones the gateway speaks) or its {@code params._meta} carries
 * a member of that revision ({@code io.modelcontextprotocol/...}). A {@code _meta} holding only trace context or a
 * progress token leaves a request what it was: a session-era client's {@code initialize} with {@code traceparent} in
 * {@code _meta} still initializes.
 *
 * <p>A stateless request must carry the header ({@code -32020}), its revision and client capabilities in
 * {@code _meta} ({@code -32602}), and a header equal to the revision in {@code _meta} ({@code -32020}); every refusal
 * is HTTP 400 and echoes the request's id. The gateway serves {@link ProtocolVersions#STATELESS} itself
 * ({@link StatelessServing}); another stateless revision is answered {@code -32022} with every revision it speaks
 * ({@code data.supported}, as {@code server/discover} lists them) and the one requested.
 */
final class StatelessRequests {
  static final String META_PREFIX = "io.modelcontextprotocol/";
  static final String META_PROTOCOL_VERSION = META_PREFIX + "protocolVersion";
  static final String META_CLIENT_CAPABILITIES = META_PREFIX + "clientCapabilities";
  /** The header is missing or disagrees with {@code _meta}. */
  static final int HEADER_ERROR = -32020;
  /** The requested revision is not one the server speaks. */
  static final int UNSUPPORTED_VERSION = -32022;
  /** Serving the request needs a capability the client did not declare in {@code _meta}. */
  static final int MISSING_CAPABILITY = -32021;

  private StatelessRequests() {}

  /**
   * @param sessionHeader {@code Mcp-Session-Id}, or {@code null}
   * @param versionHeader {@code MCP-Protocol-Version}, or {@code null}
   * @param message one JSON-RPC message
   */
  static boolean isStateless(String sessionHeader, String versionHeader, JsonNode message) {
    if (sessionHeader != null) {
      return false;
    }
    if (versionHeader != null && !ProtocolVersions.isSupported(versionHeader)) {
      return true;
    }
    JsonNode meta = message.path("params").path("_meta");
    for (Iterator<String> names = meta.fieldNames(); names.hasNext(); ) {
      if (names.next().startsWith(META_PREFIX)) {
        return true;
      }
    }
    return false;
  }

  /** The stateless revision the gateway serves. */
  static String served() {
    return ProtocolVersions.STATELESS;
  }

  /**
   * Why a stateless request is refused before it is served (an error answer, HTTP 400), or {@code null} when it is a
   * well-formed request of the revision the gateway serves.
   */
  static ObjectNode refusal(String versionHeader, JsonNode message) {
    JsonNode id = JsonRpc.idOf(message);
    JsonNode meta = message.path("params").path("_meta");
    if (versionHeader == null) {
      return JsonRpc.error(id, HEADER_ERROR, "Missing MCP-Protocol-Version header", field(StreamableHttp.VERSION_HEADER));
    }
    if (!meta.path(META_PROTOCOL_VERSION).isTextual() || !meta.path(META_CLIENT_CAPABILITIES).isObject()) {
      return JsonRpc.error(id, RpcException.INVALID_PARAMS, "Invalid params: _meta must carry "
          + META_PROTOCOL_VERSION + " and " + META_CLIENT_CAPABILITIES, field("params._meta"));
    }
    String requested = meta.get(META_PROTOCOL_VERSION).textValue();
    if (!versionHeader.equals(requested)) {
      return JsonRpc.error(id, HEADER_ERROR, "Mismatched MCP-Protocol-Version header: " + quoted(versionHeader)
          + " while _meta says " + quoted(requested), field(StreamableHttp.VERSION_HEADER));
    }
    if (requested.equals(ProtocolVersions.STATELESS)) {
      return null;
    }
    ObjectNode data = JsonRpc.MAPPER.createObjectNode();
    ArrayNode supported = data.putArray("supported");
    ProtocolVersions.ALL.forEach(supported::add);
    data.put("requested", requested);
    return JsonRpc.error(id, UNSUPPORTED_VERSION, "Unsupported protocol version " + quoted(requested)
        + ": this gateway speaks " + ProtocolVersions.ALL, data);
  }

  private static ObjectNode field(String name) {
    return JsonRpc.MAPPER.createObjectNode().put("field", name);
  }

  /** A client's value, cut short: it goes back in an error message. */
  private static String quoted(String value) {
    return "'" + (value.length() > 40 ? value.substring(0, 40) + "..." : value) + "'";
  }
}
