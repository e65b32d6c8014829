package dev.mcpgw.gateway.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.catalog.Catalog;
import dev.mcpgw.gateway.catalog.CatalogEntry;
import dev.mcpgw.gateway.catalog.Scope;
import dev.mcpgw.gateway.jsonrpc.JsonRpc;
import dev.mcpgw.gateway.jsonrpc.RpcException;
import dev.mcpgw.gateway.upstream.UpstreamClient;
import dev.mcpgw.gateway.upstream.UpstreamPool;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The methods that set per-client state at the upstreams: {@code logging/setLevel} (to every upstream of the
 * session's scope that logs) and {@code resources/subscribe} / {@code resources/unsubscribe} (to the upstream that
 * owns the resource). Both move the client onto upstream sessions of its own, so that its level and subscriptions
 * never reach another client; the subscriptions end with its session.
 */
final class SessionMethods {
  static final Set<String> LEVELS =
      Set.of("debug", "info", "notice", "warning", "error", "critical", "alert", "emergency");

  private final Catalog catalog;
  private final UpstreamPool pool;
  private final ClientSessions sessions;
  private final UpstreamForwarder forwarder;

  SessionMethods(Catalog catalog, UpstreamPool pool, ClientSessions sessions, UpstreamForwarder forwarder) {
    this.catalog = catalog;
    this.pool = pool;
    this.sessions = sessions;
    this.forwarder = forwarder;
  }

  Catalog catalog() {
    return catalog;
  }

  JsonNode setLevel(ObjectNode params, Exchange exchange) {
    String level = Params.requiredString(params, "level");
    if (!LEVELS.contains(level)) {
      throw RpcException.invalidParams("'params.level' must be one of " + List.copyOf(new java.util.TreeSet<>(LEVELS))
          + ", was '" + level + "'", "params.level");
    }
    ClientSession session = sessions.get(exchange.sessionId());
    if (session == null) {
      return JsonRpc.MAPPER.createObjectNode();
    }
    session.logLevel(level);
    upstreamsOf(exchange.scope()).keySet().forEach(gatewayId -> {
      boolean logs = pool.get(gatewayId).map(ClientSessions::declaresLogging).orElse(false);
      if (!logs) {
        return;
      }
      boolean open = session.upstreams().containsKey(gatewayId);
      sessions.bind(session, exchange);
      UpstreamClient own = sessions.own(session, gatewayId);
      // a session opened just now was given the level as it opened
      if (own != null && open) {
        sessions.setLevel(own, level);
      }
    });
    return JsonRpc.MAPPER.createObjectNode();
  }

  JsonNode subscribe(ObjectNode params, Exchange exchange) {
    String uri = Params.requiredString(params, "uri");
    CatalogEntry resource = resource(exchange.scope(), uri);
    if (resource.isLocal()) {
      // gateway-local resources do not change while the gateway runs: nothing will ever be updated
      return JsonRpc.MAPPER.createObjectNode();
    }
    ClientSession session = requireSession(exchange, "resources/subscribe");
    session.markStateful();
    String upstreamUri = upstreamUri(resource, uri);
    session.subscribe(resource.gatewayId(), upstreamUri, uri);
    ObjectNode upstreamParams = params.deepCopy().put("uri", upstreamUri);
    try {
      return forwarder.forward(resource, "resources/subscribe", upstreamParams, exchange);
    } catch (RuntimeException e) {
      session.unsubscribe(resource.gatewayId(), upstreamUri);
      throw e;
    }
  }

  JsonNode unsubscribe(ObjectNode params, Exchange exchange) {
    String uri = Params.requiredString(params, "uri");
    CatalogEntry resource = resource(exchange.scope(), uri);
    ClientSession session = sessions.get(exchange.sessionId());
    if (resource.isLocal() || session == null) {
      return JsonRpc.MAPPER.createObjectNode();
    }
    String upstreamUri = upstreamUri(resource, uri);
    session.unsubscribe(resource.gatewayId(), upstreamUri);
    return forwarder.forward(resource, "resources/unsubscribe", params.deepCopy().put("uri", upstreamUri), exchange);
  }

  private CatalogEntry resource(Scope scope, String uri) {
    return catalog.resource(scope, uri).orElseThrow(() -> new RpcException(RpcException.RESOURCE_NOT_FOUND,
        "Resource not found: " + uri, JsonRpc.MAPPER.createObjectNode().put("uri", uri)));
  }

  private ClientSession requireSession(Exchange exchange, String method) {
    ClientSession session = sessions.get(exchange.sessionId());
    if (session == null) {
      throw RpcException.invalidRequest(method + " needs a session: initialize first");
    }
    return session;
  }

  /** A listed resource keeps the URI its upstream gave it; a template match is the client's URI itself. */
  private static String upstreamUri(CatalogEntry resource, String uri) {
    return uri.equals(resource.exposedName()) && resource.originalName() != null ? resource.originalName() : uri;
  }

  /** The upstreams behind a scope, by gateway id (their names for messages). */
  private Map<String, String> upstreamsOf(Scope scope) {
    Map<String, String> ids = new LinkedHashMap<>();
    Stream.of(catalog.tools(scope), catalog.resources(scope), catalog.resourceTemplates(scope), catalog.prompts(scope))
        .flatMap(List::stream)
        .filter(e -> !e.isLocal())
        .forEach(e -> ids.putIfAbsent(e.gatewayId(), e.gatewayName()));
    return ids;
  }
}
