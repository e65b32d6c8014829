package dev.mcpgw.gateway.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.auth.Caller;
import dev.mcpgw.gateway.catalog.Scope;
import dev.mcpgw.gateway.jsonrpc.JsonRpc;
import dev.mcpgw.gateway.jsonrpc.RpcException;
import dev.mcpgw.gateway.upstream.RequestOptions;
import dev.mcpgw.gateway.upstream.UpstreamClient;
import dev.mcpgw.gateway.upstream.UpstreamException;
import dev.mcpgw.gateway.upstream.UpstreamListener;
import dev.mcpgw.gateway.upstream.UpstreamPool;
import dev.mcpgw.gateway.upstream.UserCredentials;
import dev.mcpgw.observability.logging.ThrottledLogger;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * The downstream sessions the dispatcher knows, and the upstream sessions each uses. A client that declared
 * sampling, elicitation or roots, or that keeps state upstream (a log level, subscriptions), gets an upstream session
 * of its own per upstream, opened with its own {@code initialize} params on first use and closed when its session
 * ends; every other client shares the registry's session. Those sessions are bounded per upstream and per user by
 * the pool; a client beyond a bound uses the shared session. Server-to-client requests of an upstream go to the
 * client behind the session or request they came on, never to another.
 */
final class ClientSessions {
  private static final ThrottledLogger LOG = ThrottledLogger.of(LoggerFactory.getLogger(ClientSessions.class));
  private static final org.slf4j.Logger DEBUG = LoggerFactory.getLogger(ClientSessions.class);

  private final ConcurrentMap<String, ClientSession> sessions = new ConcurrentHashMap<>();
  private final UpstreamPool pool;
  private final ProgressRouter progress;
  private final Duration timeout;
  private final ForwardTracing tracing;
  private final UserCredentials credentials;
  /**
   * At upstreams with per-user credentials: one session per user (by owner and gateway id), for that user's clients
   * that need no upstream session of their own (and requests outside any client session).
   */
  private final ConcurrentMap<String, CompletableFuture<UpstreamClient>> userUpstreams = new ConcurrentHashMap<>();
  /** When each of {@link #userUpstreams} was last used (nanoTime), to close those left idle. */
  private final ConcurrentMap<String, Long> userUpstreamsUsed = new ConcurrentHashMap<>();
  /**
   * How long a user's session at a per-user upstream stays open unused: they count against the upstream's bound of
   * dedicated sessions, so users who came once must not hold them for good.
   */
  static final Duration USER_SESSION_IDLE = Duration.ofMinutes(5);
  /**
   * The headers each session at a per-user upstream was opened with: a credential replaced through another instance
   * sharing the database is noticed at the next call (weak keys: a session forgotten elsewhere leaves nothing here).
   */
  private final Map<UpstreamClient, Map<String, String>> openedWith =
      java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());
  private volatile long lastIdleSweep = System.nanoTime();

  ClientSessions(UpstreamPool pool, ProgressRouter progress, Duration timeout) {
    this(pool, progress, timeout, ForwardTracing.NONE);
  }

  /** @param tracing wraps each server-to-client request relayed to a client (its span) */
  ClientSessions(UpstreamPool pool, ProgressRouter progress, Duration timeout, ForwardTracing tracing) {
    this.pool = pool;
    this.progress = progress;
    this.timeout = timeout;
    this.tracing = tracing;
    this.credentials = pool instanceof RoutingUpstreamPool r ? r.credentials() : UserCredentials.NONE;
  }

  void start(String id, Scope scope, ObjectNode initializeParams, Downstream outlet) {
    ClientSession old = sessions.put(id, new ClientSession(id, scope, initializeParams, outlet, timeout));
    if (old != null) {
      old.close();
    }
  }

  /** Records the {@code initialize} params of a session that existed before it (legacy SSE). */
  void initialized(String id, ObjectNode params) {
    ClientSession s = id == null ? null : sessions.get(id);
    if (s != null) {
      s.initializeParams(params.deepCopy());
    }
  }

  void end(String id) {
    ClientSession s = id == null ? null : sessions.remove(id);
    if (s != null) {
      s.close();
    }
  }

  ClientSession get(String id) {
    return id == null ? null : sessions.get(id);
  }

  int size() {
    return sessions.size();
  }

  /** How many server-to-client requests wait for an answer, over every session (0 when idle). */
  int pendingServerRequests() {
    return sessions.values().stream().mapToInt(s -> s.requests().size()).sum();
  }

  /**
   * The upstream session a request of this exchange goes to: the client's own when it needs one, else the shared.
   * A client whose own session cannot be opened falls back to the shared one (logged).
   */
  Optional<UpstreamClient> clientFor(Exchange exchange, String gatewayId) {
    return clientFor(exchange, gatewayId, gatewayId);
  }

  /**
   * The same; at an upstream with per-user credentials (ADR 0018) always a session opened with the caller's own
   * stored headers, never the shared one.
   *
   * @param upstream the upstream's registered name, for messages
   * @throws RpcException when the caller stored no credential for it (naming the endpoint to store one), or when no
   *     session with it can be opened
   */
  Optional<UpstreamClient> clientFor(Exchange exchange, String gatewayId, String upstream) {
    ClientSession session = get(exchange.sessionId());
    if (credentials.perUser(gatewayId)) {
      // first: a per-user upstream is never called with the registration's headers, not even for a held call
      return Optional.of(perUser(exchange, session, gatewayId, upstream));
    }
    if (session == null && exchange.downstream() instanceof HeldInputs held) {
      return forHeld(held, exchange, gatewayId);
    }
    if (session == null || !session.needsOwnUpstreams()) {
      return pool.usable(gatewayId);
    }
    bind(session, exchange);
    UpstreamClient own = own(session, gatewayId);
    return own != null ? Optional.of(own) : pool.usable(gatewayId);
  }

  /** Records whom {@code session} belongs to (the exchange's caller), for bounds and per-user credentials. */
  void bind(ClientSession session, Exchange exchange) {
    session.owner(owner(exchange));
    session.caller(exchange.caller());
  }

  /** The caller's own session at a per-user upstream: the client's own when it needs one, else the user's. */
  private UpstreamClient perUser(Exchange exchange, ClientSession session, String gatewayId, String upstream) {
    Caller caller = exchange.caller();
    Map<String, String> headers = credentials.headers(caller.tenantId(), caller.userId(), gatewayId)
        .orElseThrow(() -> CredentialErrors.missing(upstream, gatewayId));
    UpstreamClient client = perUserSession(exchange, session, gatewayId, headers);
    if (client != null && !headers.equals(openedWith.get(client))) {
      // it carries a credential the user has replaced since (perhaps through another instance): open afresh
      client.close();
      client = perUserSession(exchange, session, gatewayId, headers);
    }
    if (client == null) {
      throw CredentialErrors.unusable(upstream);
    }
    return client;
  }

  private UpstreamClient perUserSession(Exchange exchange, ClientSession session, String gatewayId,
      Map<String, String> headers) {
    if (session != null && session.needsOwnUpstreams()) {
      bind(session, exchange);
      return own(session, gatewayId);
    }
    return awaitOpened(userSession(exchange.caller(), gatewayId, headers),
        why -> LOG.warn("could not open an upstream session with a user's own credential: {}", why));
  }

  /** Opens a session at a per-user upstream with {@code headers}, remembering them. */
  private CompletableFuture<UpstreamClient> openPerUser(String gatewayId, ObjectNode initializeParams,
      UpstreamListener listener, String owner, Map<String, String> headers) {
    return pool.openSession(gatewayId, initializeParams, listener, owner, headers).thenApply(client -> {
      openedWith.put(client, headers);
      return client;
    });
  }

  /** The user's session at a per-user upstream, opened with {@code headers} when there is none or it closed. */
  private CompletableFuture<UpstreamClient> userSession(Caller caller, String gatewayId, Map<String, String> headers) {
    String owner = UserCredentials.owner(caller.tenantId(), caller.userId());
    String key = owner + "\0" + gatewayId;
    long now = System.nanoTime();
    userUpstreamsUsed.put(key, now);
    closeIdleUserSessions(now);
    CompletableFuture<UpstreamClient> f = userUpstreams.computeIfAbsent(key,
        k -> openPerUser(gatewayId, null, UpstreamListener.NONE, owner, headers));
    if (f.isDone() && (f.isCompletedExceptionally() || !f.join().health().connected())) {
      // closed (a credential replaced or revoked, the upstream restarted) or never opened: open afresh once
      if (userUpstreams.remove(key, f) && !f.isCompletedExceptionally()) {
        f.join().close();
      }
      f = userUpstreams.computeIfAbsent(key, k -> openPerUser(gatewayId, null, UpstreamListener.NONE, owner,
          headers));
    }
    return f;
  }

  /** Closes the users' sessions at per-user upstreams unused for {@link #USER_SESSION_IDLE}; looks at most every minute. */
  void closeIdleUserSessions(long now) {
    if (now - lastIdleSweep < TimeUnit.MINUTES.toNanos(1)) {
      return;
    }
    lastIdleSweep = now;
    userUpstreamsUsed.forEach((key, used) -> {
      if (now - used > USER_SESSION_IDLE.toNanos() && userUpstreamsUsed.remove(key, used)) {
        CompletableFuture<UpstreamClient> f = userUpstreams.remove(key);
        if (f != null) {
          f.thenAccept(UpstreamClient::close);
        }
      }
    });
  }

  /**
   * The upstream session {@code opening} once it is open, waiting at most the timeout; {@code null} when it failed or
   * took too long ({@code warn} is told why, to log it under the caller's own pattern) or the thread was interrupted.
   */
  private UpstreamClient awaitOpened(CompletableFuture<UpstreamClient> opening, Consumer<String> warn) {
    try {
      return opening.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (ExecutionException | TimeoutException e) {
      warn.accept(describe(e instanceof ExecutionException ? e.getCause() : e));
      return null;
    }
  }

  /**
   * The upstream session for one request of a stateless client that declared sampling, elicitation or roots: an
   * upstream of the session era sends those requests only on a session whose {@code initialize} declared them, so
   * the request gets a session of its own, opened with the client's capabilities and closed when the request ends
   * (bounded like every dedicated session). A stateless upstream needs none: the capabilities travel in
   * {@code _meta}. When the session cannot be opened, the shared one serves the request.
   */
  private Optional<UpstreamClient> forHeld(HeldInputs held, Exchange exchange, String gatewayId) {
    Optional<UpstreamClient> shared = pool.usable(gatewayId);
    ObjectNode capabilities = held.clientCapabilities();
    boolean asks = capabilities.has("sampling") || capabilities.has("elicitation") || capabilities.has("roots");
    ObjectNode init = shared.map(UpstreamClient::initializeResult).orElse(null);
    if (!asks || init == null || ProtocolVersions.STATELESS.equals(init.path("protocolVersion").asText())) {
      return shared;
    }
    ObjectNode params = JsonRpc.MAPPER.createObjectNode().put("protocolVersion", ProtocolVersions.LATEST);
    params.set("capabilities", capabilities.deepCopy());
    if (held.clientInfo() != null) {
      params.set("clientInfo", held.clientInfo().deepCopy());
    }
    UpstreamListener listener = new UpstreamListener() {
      @Override
      public void onNotification(String method, ObjectNode p) {
        // a request of its own: its notifications travel on its own stream, and a stateless client has none
      }

      @Override
      public CompletableFuture<JsonNode> onRequest(String method, ObjectNode p) {
        return held.ask(method, p);
      }
    };
    CompletableFuture<UpstreamClient> opening;
    try {
      opening = pool.openSession(gatewayId, params, listener, owner(exchange));
    } catch (RuntimeException e) {
      opening = CompletableFuture.failedFuture(e);
    }
    UpstreamClient own = awaitOpened(opening, why -> LOG.warn(
        "could not open an upstream session at '{}' for a stateless client; it uses the shared one: {}",
        gatewayId, why));
    if (own == null) {
      return shared;
    }
    held.adopt(own);
    return Optional.of(own);
  }

  /**
   * Whom a dedicated upstream session counts against: the caller's user within its tenant; {@code null} (no bound
   * per user, only the upstream's) without authentication, where every caller is the same anonymous user.
   */
  static String owner(Exchange exchange) {
    if (Caller.ANONYMOUS.equals(exchange.caller())) {
      return null;
    }
    return exchange.caller().tenantId() + "\0" + exchange.caller().userId();
  }

  /**
   * The client's own session at {@code gatewayId}, opened if needed; {@code null} when it cannot be opened, for
   * instance because the upstream's or the user's bound of such sessions is reached (then the client uses the shared
   * session: calls work, and server-to-client requests reach it only when they come on its own call's stream).
   */
  UpstreamClient own(ClientSession session, String gatewayId) {
    CompletableFuture<UpstreamClient> f = session.upstreams().computeIfAbsent(gatewayId, g -> open(session, g));
    if (f.isDone() && f.isCompletedExceptionally() && credentials.perUser(gatewayId)) {
      // at a per-user upstream a failure is no reason to share: the credential may have been stored since
      session.upstreams().remove(gatewayId, f);
      f = session.upstreams().computeIfAbsent(gatewayId, g -> open(session, g));
    }
    if (f.isDone() && !f.isCompletedExceptionally() && !f.join().health().connected()) {
      // the upstream restarted or dropped this session: open a fresh one once
      session.upstreams().remove(gatewayId, f);
      f.join().close();
      f = session.upstreams().computeIfAbsent(gatewayId, g -> open(session, g));
    }
    return awaitOpened(f, why -> LOG.warn("could not open an upstream session at '{}' for a client; {}: {}", gatewayId,
        credentials.perUser(gatewayId) ? "its call fails (per-user credentials)" : "it uses the shared one", why));
  }

  private CompletableFuture<UpstreamClient> open(ClientSession session, String gatewayId) {
    CompletableFuture<UpstreamClient> opened;
    try {
      Caller caller = session.caller();
      if (!credentials.perUser(gatewayId)) {
        opened = pool.openSession(gatewayId, session.initializeParams(), new SessionListener(session, gatewayId),
            session.owner());
      } else if (caller == null) {
        opened = CompletableFuture.failedFuture(new UpstreamException(null, UpstreamException.Kind.UNAVAILABLE,
            "the client's session has no caller yet"));
      } else {
        // the caller's own headers, never the registration's; no credential: no session
        Optional<Map<String, String>> headers = credentials.headers(caller.tenantId(), caller.userId(), gatewayId);
        opened = headers.isEmpty()
            ? CompletableFuture.failedFuture(new UpstreamException(null, UpstreamException.Kind.UNAVAILABLE,
                "the user stored no credential for it"))
            : openPerUser(gatewayId, session.initializeParams(), new SessionListener(session, gatewayId),
                UserCredentials.owner(caller.tenantId(), caller.userId()), headers.get());
      }
    } catch (RuntimeException e) {
      opened = CompletableFuture.failedFuture(e);
    }
    return opened.thenApply(client -> {
      if (session.closed()) {
        client.close();
        throw new CompletionException(new UpstreamException(client.name(), UpstreamException.Kind.UNAVAILABLE,
            "the client's session ended while its upstream session opened"));
      }
      String level = session.logLevel();
      if (level != null && declaresLogging(client)) {
        setLevel(client, level);
      }
      return client;
    });
  }

  /** Sends {@code logging/setLevel}, waiting at most the request timeout; a failure is logged, not thrown. */
  void setLevel(UpstreamClient client, String level) {
    try {
      client.request("logging/setLevel", JsonRpc.MAPPER.createObjectNode().put("level", level),
          RequestOptions.call(timeout)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      LOG.warn("upstream '{}' did not take logging/setLevel: {}", client.name(),
          describe(e instanceof ExecutionException ? e.getCause() : e));
    }
  }

  static boolean declaresLogging(UpstreamClient client) {
    ObjectNode init = client.initializeResult();
    return init != null && init.path("capabilities").hasNonNull("logging");
  }

  /**
   * A server-to-client request that came on {@code route}'s upstream call, or on the client's own upstream session
   * ({@code route} {@code null}): sent to that client when it declared the capability the method needs.
   */
  CompletableFuture<JsonNode> serverRequest(ClientSession session, String method, ObjectNode params,
      Downstream route) {
    String capability = switch (method) {
      case "sampling/createMessage" -> "sampling";
      case "elicitation/create" -> "elicitation";
      case "roots/list" -> "roots";
      default -> null;
    };
    if (capability == null) {
      return CompletableFuture.failedFuture(UpstreamException.methodNotFound(method));
    }
    if (session == null && route instanceof HeldInputs held) {
      if (!held.clientCapabilities().has(capability)) {
        return CompletableFuture.failedFuture(ServerRequests.error(RpcException.METHOD_NOT_FOUND,
            "Method not found: " + method + " (the client did not declare the " + capability + " capability)"));
      }
      return tracing.serverRequest(method, params, () -> held.ask(method, params));
    }
    if (session == null || !session.declares(capability)) {
      // what the client itself would answer: it has no handler for a capability it did not declare
      return CompletableFuture.failedFuture(ServerRequests.error(RpcException.METHOD_NOT_FOUND,
          "Method not found: " + method + " (the client did not declare the " + capability + " capability)"));
    }
    return tracing.serverRequest(method, params, () -> session.requests().send(method, params, session.routes(route)));
  }

  /** A client's JSON-RPC response: completes the server-to-client request it answers. */
  void answer(String sessionId, ObjectNode response) {
    ClientSession session = get(sessionId);
    if (session == null || !session.requests().answer(response)) {
      DEBUG.debug("a client answered a request that is not waiting (late, or not the gateway's): {}",
          response.path("id"));
    }
  }

  /** The client's {@code notifications/roots/list_changed}: every upstream session of that client hears it. */
  void rootsChanged(String sessionId, ObjectNode params) {
    ClientSession session = get(sessionId);
    if (session != null) {
      session.openUpstreams().forEach(c -> c.notify("notifications/roots/list_changed", params));
    }
  }

  private static String describe(Throwable t) {
    return t == null || t.getMessage() == null ? "unknown error" : t.getMessage();
  }

  /** What one client's own upstream session sends on its own (outside any request, or unmatched to one). */
  private final class SessionListener implements UpstreamListener {
    private final ClientSession session;
    private final String gatewayId;

    SessionListener(ClientSession session, String gatewayId) {
      this.session = session;
      this.gatewayId = gatewayId;
    }

    @Override
    public void onNotification(String method, ObjectNode params) {
      switch (method) {
        case "notifications/progress" -> {
          if (progress == null || !progress.route(params)) {
            session.outlet().send(JsonRpc.notification(method, params));
          }
        }
        case "notifications/resources/updated" -> {
          String uri = params == null ? null : params.path("uri").asText(null);
          String clientUri = uri == null ? null : session.subscribedUri(gatewayId, uri);
          if (clientUri != null) {
            ObjectNode relayed = params.deepCopy().put("uri", clientUri);
            session.outlet().send(JsonRpc.notification(method, relayed));
          }
        }
        // the catalog notices list changes and tells every client in its own terms
        case "notifications/tools/list_changed", "notifications/resources/list_changed",
            "notifications/prompts/list_changed" -> { }
        default -> session.outlet().send(JsonRpc.notification(method, params));
      }
    }

    @Override
    public CompletableFuture<JsonNode> onRequest(String method, ObjectNode params) {
      return serverRequest(session, method, params, null);
    }
  }

  List<ClientSession> all() {
    return List.copyOf(sessions.values());
  }
}
