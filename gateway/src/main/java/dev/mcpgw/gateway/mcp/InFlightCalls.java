package dev.mcpgw.gateway.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Future;

/**
 * The upstream calls running for downstream requests, by session and JSON-RPC id, so that a client's
 * {@code notifications/cancelled} cancels the upstream call (the upstream client then tells the upstream). Entries
 * live exactly as long as the call.
 */
final class InFlightCalls {
  private record Key(String sessionId, JsonNode id) {}

  private final ConcurrentMap<Key, Future<?>> calls = new ConcurrentHashMap<>();

  /** Tracks {@code call} until the returned handle is closed; a no-op without a session or id. */
  AutoCloseable track(Exchange exchange, Future<?> call) {
    if (exchange.sessionId() == null || exchange.rpcId() == null) {
      return () -> {};
    }
    Key key = new Key(exchange.sessionId(), exchange.rpcId());
    calls.put(key, call);
    return () -> calls.remove(key, call);
  }

  /** Cancels the session's call with this id; {@code false} when none runs (finished already, or never existed). */
  boolean cancel(String sessionId, JsonNode id) {
    if (sessionId == null || id == null) {
      return false;
    }
    Future<?> call = calls.remove(new Key(sessionId, id));
    return call != null && call.cancel(true);
  }

  int size() {
    return calls.size();
  }
}
