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
 * at most the request timeout; those waiting for input count against the same bounds as sessions (per user
 * {@code maxSessionsPerUser}, per tenant {@code maxSessionsPerTenant}, for the gateway {@code maxSessions}). A call
 * that never asks for input is never kept.
 */
final class HeldCalls {
  private final McpSettings settings;
  private final Map<String, HeldCall> held = new ConcurrentHashMap<>();

  HeldCalls(McpSettings settings) {
    this.settings = settings;
  }

  /** A new call of {@code caller}; it is kept here only once it waits for input ({@link #keep}). */
  HeldCall start(Caller caller, JsonNode meta) {
    // random UUIDs come from a SecureRandom; the id travels sealed anyway
    return new HeldCall(UUID.randomUUID().toString(), caller,
        meta instanceof ObjectNode m ? m : dev.mcpgw.gateway.jsonrpc.JsonRpc.MAPPER.createObjectNode(),
        System.nanoTime() + settings.requestTimeout().toNanos());
  }

  /**
   * Keeps {@code call}, which waits for its client's input, for the client's retry.
   *
   * @return {@code false} when its caller, or the gateway, already has the most calls waiting allowed
   */
  synchronized boolean keep(HeldCall call) {
    if (held.containsKey(call.id)) {
      return true;
    }
    sweep();
    long mine = held.values().stream().filter(h -> h.caller.equals(call.caller)).count();
    long tenants = held.values().stream().filter(h -> h.caller.tenantId().equals(call.caller.tenantId())).count();
    if (held.size() >= settings.maxSessions() || mine >= settings.maxSessionsPerUser()
        || tenants >= settings.maxSessionsPerTenant()) {
      return false;
    }
    held.put(call.id, call);
    return true;
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
