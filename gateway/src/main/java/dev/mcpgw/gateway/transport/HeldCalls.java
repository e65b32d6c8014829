package dev.mcpgw.gateway.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.auth.Caller;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The requests of stateless clients held at upstreams while the clients answer their input requests
 * ({@link HeldCall}), on this instance: a retry reaching another instance finds nothing (the client is told, and its
 * balancer should route on {@code Mcp-Session-Id}-less affinity if it wants such retries to land here). Each is held
 * at most the request timeout; they count against the same bounds as sessions (per user {@code maxSessionsPerUser},
 * for the gateway {@code maxSessions}).
 */
final class HeldCalls {
  private final McpSettings settings;
  private final Map<String, HeldCall> held = new ConcurrentHashMap<>();

  HeldCalls(McpSettings settings) {
    this.settings = settings;
  }

  /** A new held call of {@code caller}, or {@code null} when the caller or the gateway holds the most allowed. */
  HeldCall start(Caller caller, JsonNode meta) {
    sweep();
    long mine = held.values().stream().filter(h -> h.caller.equals(caller)).count();
    if (held.size() >= settings.maxSessions() || mine >= settings.maxSessionsPerUser()) {
      return null;
    }
    // random UUIDs come from a SecureRandom; the id travels sealed anyway
    HeldCall call = new HeldCall(UUID.randomUUID().toString(), caller,
        meta instanceof ObjectNode m ? m : dev.mcpgw.gateway.jsonrpc.JsonRpc.MAPPER.createObjectNode(),
        System.nanoTime() + settings.requestTimeout().toNanos());
    held.put(call.id, call);
    return call;
  }

  /** The held call {@code id} of {@code caller}, or {@code null}. */
  HeldCall find(String id, Caller caller) {
    HeldCall call = held.get(id);
    return call != null && call.caller.equals(caller) && !call.finished() ? call : null;
  }

  void forget(HeldCall call) {
    held.remove(call.id, call);
  }

  int size() {
    return held.size();
  }

  private void sweep() {
    long now = System.nanoTime();
    held.values().removeIf(h -> h.finished() || h.deadlineNanos - now < 0);
  }
}
