package dev.mcpgw.gateway.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.jsonrpc.JsonRpc;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Routes an upstream's {@code notifications/progress} back to the downstream request that asked for progress. Many
 * clients share one upstream session and pick their progress tokens freely (often their request id: 1, 2, ...), so
 * the gateway sends a token of its own upstream and maps it back; the mapping lives exactly as long as the call.
 * Every upstream's progress passes through one router, whoever owns the upstream, so the tokens are random (128
 * bits): an upstream learns only the tokens of the calls sent to it, and cannot forge progress on another tenant's
 * call to another upstream by guessing the next or previous token.
 */
public final class ProgressRouter {
  private static final String PREFIX = "mcpgw-progress-";

  private final ConcurrentMap<String, Route> routes = new ConcurrentHashMap<>();
  private static final int TOKEN_BYTES = 16;

  private final SecureRandom random = new SecureRandom();

  private record Route(JsonNode clientToken, Downstream downstream) {}

  /** One call's token mapping; closing it forgets the mapping. */
  public final class Registration implements AutoCloseable {
    private final String token;

    private Registration(String token) {
      this.token = token;
    }

    /** The token sent upstream in place of the client's. */
    public String token() {
      return token;
    }

    @Override
    public void close() {
      routes.remove(token);
    }
  }

  /** Maps a fresh gateway token to the client's {@code clientToken} and the request's way back. */
  public Registration register(JsonNode clientToken, Downstream downstream) {
    byte[] bytes = new byte[TOKEN_BYTES];
    random.nextBytes(bytes);
    String token = PREFIX + HexFormat.of().formatHex(bytes);
    routes.put(token, new Route(clientToken, downstream));
    return new Registration(token);
  }

  /**
   * Delivers a progress notification from an upstream to the request it belongs to, with the client's own token.
   *
   * @return whether the token was one of the gateway's (running or finished); {@code false} leaves it to others
   */
  public boolean route(ObjectNode params) {
    JsonNode token = params == null ? null : params.get("progressToken");
    if (token == null || !token.isTextual() || !token.textValue().startsWith(PREFIX)) {
      return false;
    }
    Route route = routes.get(token.textValue());
    if (route != null) {
      ObjectNode relayed = params.deepCopy();
      relayed.set("progressToken", route.clientToken());
      route.downstream().send(JsonRpc.notification("notifications/progress", relayed));
    }
    // a late notification for a finished call is ours too: dropped, never passed on
    return true;
  }

  /** How many calls currently wait for progress (zero when idle: nothing leaks). */
  public int activeRoutes() {
    return routes.size();
  }
}
