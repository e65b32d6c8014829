package dev.mcpgw.gateway.mcp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.catalog.Scope;
import dev.mcpgw.gateway.upstream.UpstreamClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * What the gateway keeps for one downstream MCP session: the client's {@code initialize} params (its capabilities),
 * the way to reach it outside a request (the GET or legacy SSE stream), the upstream sessions opened on its behalf,
 * its resource subscriptions and log level, and its server-to-client requests waiting for an answer.
 */
final class ClientSession {
  private final String id;
  private final Scope scope;
  private final Downstream outlet;
  private final ServerRequests requests;
  private final Set<Downstream> running = ConcurrentHashMap.newKeySet();
  /** Upstream sessions of this client by gateway id; closed when the session ends. */
  private final ConcurrentMap<String, CompletableFuture<UpstreamClient>> upstreams = new ConcurrentHashMap<>();
  /** Per gateway id: the URI the upstream knows -> the URI the client subscribed with. */
  private final ConcurrentMap<String, ConcurrentMap<String, String>> subscriptions = new ConcurrentHashMap<>();
  private volatile ObjectNode initializeParams;
  private volatile String logLevel;
  private volatile boolean stateful;
  private volatile boolean closed;
  /** The user (of a tenant) the session belongs to, for the bound of dedicated upstream sessions per user. */
  private volatile String owner;
  /** The caller the session belongs to (whose credential its sessions at per-user upstreams carry). */
  private volatile dev.mcpgw.gateway.auth.Caller caller;

  ClientSession(String id, Scope scope, ObjectNode initializeParams, Downstream outlet, Duration requestTimeout) {
    this.id = id;
    this.scope = scope;
    this.initializeParams = initializeParams;
    this.outlet = outlet == null ? Downstream.NONE : outlet;
    this.requests = new ServerRequests(requestTimeout);
  }

  String id() {
    return id;
  }

  Scope scope() {
    return scope;
  }

  Downstream outlet() {
    return outlet;
  }

  ServerRequests requests() {
    return requests;
  }

  ObjectNode initializeParams() {
    return initializeParams;
  }

  void initializeParams(ObjectNode params) {
    this.initializeParams = params;
  }

  /** Whether the client declared {@code capability} ({@code sampling}, {@code elicitation}, {@code roots}). */
  boolean declares(String capability) {
    ObjectNode params = initializeParams;
    return params != null && params.path("capabilities").hasNonNull(capability);
  }

  /**
   * Whether this client needs upstream sessions of its own: the upstream must see its capabilities, or it keeps state
   * there (a log level, subscriptions) that must not spill over to other clients.
   */
  boolean needsOwnUpstreams() {
    return !closed && (stateful || declares("sampling") || declares("elicitation") || declares("roots"));
  }

  void markStateful() {
    stateful = true;
  }

  String logLevel() {
    return logLevel;
  }

  void logLevel(String level) {
    this.logLevel = level;
    this.stateful = true;
  }

  boolean closed() {
    return closed;
  }

  String owner() {
    return owner;
  }

  void owner(String value) {
    this.owner = value;
  }

  dev.mcpgw.gateway.auth.Caller caller() {
    return caller;
  }

  void caller(dev.mcpgw.gateway.auth.Caller value) {
    this.caller = value;
  }

  ConcurrentMap<String, CompletableFuture<UpstreamClient>> upstreams() {
    return upstreams;
  }

  /** The upstream sessions that are open now. */
  List<UpstreamClient> openUpstreams() {
    List<UpstreamClient> open = new ArrayList<>();
    upstreams.values().forEach(f -> {
      if (f.isDone() && !f.isCompletedExceptionally()) {
        open.add(f.join());
      }
    });
    return open;
  }

  void subscribe(String gatewayId, String upstreamUri, String clientUri) {
    subscriptions.computeIfAbsent(gatewayId, g -> new ConcurrentHashMap<>()).put(upstreamUri, clientUri);
  }

  void unsubscribe(String gatewayId, String upstreamUri) {
    Map<String, String> uris = subscriptions.get(gatewayId);
    if (uris != null) {
      uris.remove(upstreamUri);
    }
  }

  /** The URI the client subscribed with for what {@code gatewayId} calls {@code upstreamUri}, or {@code null}. */
  String subscribedUri(String gatewayId, String upstreamUri) {
    Map<String, String> uris = subscriptions.get(gatewayId);
    return uris == null ? null : uris.get(upstreamUri);
  }

  int subscriptionCount() {
    return subscriptions.values().stream().mapToInt(Map::size).sum();
  }

  /** Marks a request's stream as running (a fallback route for requests that belong to no request). */
  AutoCloseable running(Downstream stream) {
    running.add(stream);
    return () -> running.remove(stream);
  }

  /** Where a server-to-client request may go: {@code preferred} first, then the session's stream, then running ones. */
  List<Downstream> routes(Downstream preferred) {
    List<Downstream> routes = new ArrayList<>();
    if (preferred != null) {
      routes.add(preferred);
    }
    routes.add(outlet);
    running.forEach(r -> {
      if (r != preferred) {
        routes.add(r);
      }
    });
    return routes;
  }

  /**
   * Closes this client's own session at {@code gatewayId} and forgets its subscriptions there (the upstream left the
   * client's scope); a later call in scope opens a fresh one.
   */
  void dropUpstream(String gatewayId) {
    subscriptions.remove(gatewayId);
    CompletableFuture<UpstreamClient> f = upstreams.remove(gatewayId);
    if (f != null) {
      f.thenAccept(UpstreamClient::close);
    }
  }

  /** Ends the session: waiting requests are answered with an error and its upstream sessions close. */
  void close() {
    closed = true;
    requests.close("the client's session has ended");
    subscriptions.clear();
    upstreams.values().forEach(f -> f.thenAccept(UpstreamClient::close));
    upstreams.clear();
  }
}
