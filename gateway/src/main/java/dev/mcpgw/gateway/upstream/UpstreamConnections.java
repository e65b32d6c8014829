package dev.mcpgw.gateway.upstream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.config.DedicatedSessionLimits;
import dev.mcpgw.gateway.config.StdioEnvironment;
import dev.mcpgw.gateway.store.UpstreamSpec;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's live upstream sessions over Streamable HTTP, legacy SSE and stdio. One pool of kept-alive HTTP/1.1
 * connections, one timer thread and virtual threads serve every session; each upstream keeps one circuit breaker across reconnects until it is
 * disconnected.
 */
public final class UpstreamConnections implements UpstreamPool {
  private static final Logger LOG = LoggerFactory.getLogger(UpstreamConnections.class);
  /** Messages waiting to be written to one stdio or SSE upstream; beyond it sends fail rather than queue forever. */
  private static final int SEND_QUEUE = 1024;
  /** How long an answered stream may take to end by itself before it is cut (servers end it right after). */
  private static final Duration DRAIN_GRACE = Duration.ofMillis(250);
  /**
   * How long a call waits for the reconnect it triggered when its upstream was down; the attempt itself may take up
   * to the connect timeout, and later calls join it.
   */
  static final Duration RECOVERY_WAIT = Duration.ofSeconds(3);

  private final UpstreamSettings settings;
  private final UpstreamEvents events;
  private final RequestTracer tracer;
  private final ExecutorService io = Executors.newVirtualThreadPerTaskExecutor();
  private final ScheduledThreadPoolExecutor timer;
  private final Http1Client http;
  private final DrainingStreams draining;
  private final ConcurrentMap<String, UpstreamClient> clients = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Resilience> resilience = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, UpstreamSpec> specs = new ConcurrentHashMap<>();
  /** Sessions opened for downstream sessions, per upstream: closed with it. */
  private final ConcurrentMap<String, Set<UpstreamClient>> sessions = new ConcurrentHashMap<>();
  /** Whom each open dedicated session was opened for (those with an owner), to close them by owner. */
  private final ConcurrentMap<UpstreamClient, String> ownerOf = new ConcurrentHashMap<>();
  /** The dedicated sessions open per upstream, in all and per user: bounded by {@link #limits}. */
  private final ConcurrentMap<String, DedicatedSlots> slots = new ConcurrentHashMap<>();
  /** The listener each upstream was connected with, for reconnects on demand. */
  private final ConcurrentMap<String, UpstreamListener> listeners = new ConcurrentHashMap<>();
  /** The connect under way per upstream (the registry's or a reconnect on demand): a call waits for it. */
  private final ConcurrentMap<String, CompletableFuture<UpstreamClient>> connecting = new ConcurrentHashMap<>();
  /** The reconnect on demand under way per upstream: concurrent callers of a down upstream share it. */
  private final ConcurrentMap<String, CompletableFuture<UpstreamClient>> recovering = new ConcurrentHashMap<>();
  private final StdioEnvironment stdioEnvironment;
  private final Map<String, String> gatewayEnvironment;
  private final DedicatedSessionLimits limits;
  private volatile boolean closed;

  private UpstreamConnections(UpstreamSettings settings, UpstreamEvents events, RequestTracer tracer,
      StdioEnvironment stdioEnvironment, Map<String, String> gatewayEnvironment, DedicatedSessionLimits limits) {
    this.settings = settings;
    this.stdioEnvironment = stdioEnvironment;
    this.gatewayEnvironment = Map.copyOf(gatewayEnvironment);
    this.limits = limits;
    this.events = events;
    this.tracer = tracer;
    this.timer = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "mcpgw-upstream-timer");
      t.setDaemon(true);
      return t;
    });
    timer.setRemoveOnCancelPolicy(true); // request timeouts are cancelled far more often than they fire
    this.draining = DrainingStreams.start(timer, DRAIN_GRACE);
    // one pool of kept-alive connections for every HTTP upstream; redirects are not followed (as ever)
    this.http = Http1Client.create(new Http1Pool(), settings.connectTimeout());
    long sweep = Http1Pool.MAX_IDLE.toMillis();
    timer.scheduleWithFixedDelay(http.pool()::sweep, sweep, sweep, TimeUnit.MILLISECONDS);
  }

  /** With no events, no tracing, the default stdio allow-list and the default bounds of dedicated sessions. */
  public static UpstreamConnections create(UpstreamSettings settings) {
    return builder(settings).build();
  }

  /** Connections with {@code settings}; what is not given on the builder has the defaults of {@link #create}. */
  public static Builder builder(UpstreamSettings settings) {
    return new Builder(settings);
  }

  /** The parts of a pool of upstream connections. */
  public static final class Builder {
    private final UpstreamSettings settings;
    private UpstreamEvents events = UpstreamEvents.NONE;
    private RequestTracer tracer = RequestTracer.NONE;
    private StdioEnvironment stdioEnvironment = StdioEnvironment.defaults();
    private DedicatedSessionLimits limits = DedicatedSessionLimits.defaults();

    private Builder(UpstreamSettings settings) {
      this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** Told of retries and circuit-breaker transitions (for metrics); must not block. */
    public Builder events(UpstreamEvents listener) {
      this.events = Objects.requireNonNull(listener, "events");
      return this;
    }

    /**
     * Traces every upstream request (a CLIENT span with its retries and breaker transitions) and puts the trace
     * context into its headers and {@code params._meta}; {@link RequestTracer#NONE} (the default): requests go out
     * untouched.
     */
    public Builder tracer(RequestTracer requestTracer) {
      this.tracer = Objects.requireNonNull(requestTracer, "tracer");
      return this;
    }

    /** Which of the gateway's environment variables stdio upstreams inherit. */
    public Builder stdioEnvironment(StdioEnvironment environment) {
      this.stdioEnvironment = Objects.requireNonNull(environment, "stdioEnvironment");
      return this;
    }

    /** How many sessions of their own downstream clients may hold per upstream and per user. */
    public Builder dedicatedSessions(DedicatedSessionLimits bounds) {
      this.limits = Objects.requireNonNull(bounds, "limits");
      return this;
    }

    public UpstreamConnections build() {
      return new UpstreamConnections(settings, events, tracer, stdioEnvironment,
          System.getenv(), limits);
    }
  }

  @Override
  public CompletableFuture<UpstreamClient> connect(String gatewayId, UpstreamSpec spec, UpstreamListener listener) {
    CompletableFuture<UpstreamClient> f = connectNow(gatewayId, spec, listener);
    connecting.put(gatewayId, f);
    f.whenComplete((c, e) -> connecting.remove(gatewayId, f));
    return f;
  }

  private CompletableFuture<UpstreamClient> connectNow(String gatewayId, UpstreamSpec spec,
      UpstreamListener listener) {
    UpstreamClient client;
    try {
      specs.put(gatewayId, spec);
      listeners.put(gatewayId, listener == null ? UpstreamListener.NONE : listener);
      // a session-era upstream sees the capabilities the gateway relays (so it lists the tools that need them);
      // a stateless one gets no such claim in every request's _meta on behalf of clients that may not have them
      boolean stateless = spec.transport() == UpstreamSpec.Transport.STATELESS_HTTP;
      client = open(gatewayId, spec, stateless ? listener : new SharedSessionRequests(listener),
          stateless ? TransportClient.defaultInitializeParams() : TransportClient.registryInitializeParams(), false,
          () -> {}, true);
    } catch (UpstreamException e) {
      return CompletableFuture.failedFuture(e);
    }
    return client.connect().handle((init, error) -> {
      if (error != null) {
        client.close();
        UpstreamClient old = clients.remove(gatewayId);
        if (old != null) {
          old.close();
        }
        throw new java.util.concurrent.CompletionException(Resilience.unwrap(error));
      }
      UpstreamClient old = clients.put(gatewayId, client);
      if (old != null && old != client) {
        old.close();
      }
      if (closed) {
        clients.remove(gatewayId, client);
        client.close();
        throw new java.util.concurrent.CompletionException(UpstreamErrors.unavailable(spec.name(), "was disconnected: the gateway is stopping"));
      }
      if (!specs.containsKey(gatewayId)) {
        // disconnected (deleted) while this connect ran, e.g. a reconnect on demand: it must not linger
        clients.remove(gatewayId, client);
        client.close();
        throw new java.util.concurrent.CompletionException(UpstreamErrors.unavailable(spec.name(),
            "was disconnected while it connected"));
      }
      LOG.debug("upstream '{}' connected ({})", spec.name(), spec.transport().wireName());
      return client;
    });
  }

  @Override
  public CompletableFuture<UpstreamClient> openSession(String gatewayId, ObjectNode initializeParams,
      UpstreamListener listener) {
    return openSession(gatewayId, initializeParams, listener, null);
  }

  /**
   * {@inheritDoc} Bounded by {@link DedicatedSessionLimits}: beyond the bound of the upstream or of {@code owner} it
   * fails with {@code UNAVAILABLE} at once, starting nothing.
   */
  @Override
  public CompletableFuture<UpstreamClient> openSession(String gatewayId, ObjectNode initializeParams,
      UpstreamListener listener, String owner) {
    return openSession(gatewayId, initializeParams, listener, owner, null);
  }

  /**
   * {@inheritDoc} The session is an HTTP one with {@code headers} as its only registered headers; a stdio upstream
   * has none, so it fails with {@code UNAVAILABLE} instead of starting a process without the caller's credential.
   */
  @Override
  public CompletableFuture<UpstreamClient> openSession(String gatewayId, ObjectNode initializeParams,
      UpstreamListener listener, String owner, Map<String, String> headers) {
    UpstreamSpec registered = specs.get(gatewayId);
    if (registered == null) {
      return CompletableFuture.failedFuture(new UpstreamException(null, UpstreamException.Kind.UNAVAILABLE,
          "no upstream with id '" + gatewayId + "' is connected"));
    }
    if (headers != null && registered.transport() == UpstreamSpec.Transport.STDIO) {
      return CompletableFuture.failedFuture(UpstreamErrors.unavailable(registered.name(),
          "takes no headers: a caller's own credential cannot be used over stdio"));
    }
    UpstreamSpec spec = headers == null ? registered : registered.withHeaders(headers);
    DedicatedSlots slot = slots.computeIfAbsent(gatewayId, id -> new DedicatedSlots());
    String refused = slot.acquire(owner, limits.perUpstream(spec.transport() == UpstreamSpec.Transport.STDIO), limits.perUser());
    if (refused != null) {
      return CompletableFuture.failedFuture(UpstreamErrors.unavailable(spec.name(),
          "opened no session for a single client: " + refused));
    }
    Set<UpstreamClient> owned = sessions.computeIfAbsent(gatewayId, id -> ConcurrentHashMap.newKeySet());
    UpstreamClient[] self = new UpstreamClient[1];
    UpstreamClient client;
    try {
      client = open(gatewayId, spec, listener, TransportClient.initializeParamsFor(initializeParams), headers != null, () -> {
        owned.remove(self[0]);
        ownerOf.remove(self[0]);
        slot.release(owner);
      }, false);
    } catch (UpstreamException e) {
      slot.release(owner);
      return CompletableFuture.failedFuture(e);
    }
    self[0] = client;
    owned.add(client);
    if (owner != null) {
      ownerOf.put(client, owner);
    }
    return client.connect().handle((init, error) -> {
      if (error != null || closed || !specs.containsKey(gatewayId)) {
        client.close();
        throw new java.util.concurrent.CompletionException(error != null ? Resilience.unwrap(error)
            : UpstreamErrors.unavailable(spec.name(), "was disconnected while the session opened"));
      }
      return client;
    });
  }

  /**
   * A new, not yet connected session to {@code spec}, sharing the upstream's circuit breaker, or with a breaker of its
   * own ({@code ownBreaker}: a session with a caller's own credential, whose failures, a wrong token for instance,
   * must not open the circuit for everyone else).
   *
   * @param shared the registry's session (a stateless upstream's list changes are listened to on it alone)
   */
  private UpstreamClient open(String gatewayId, UpstreamSpec spec, UpstreamListener listener,
      ObjectNode initializeParams, boolean ownBreaker, Runnable onClose, boolean shared) {
    if (closed) {
      throw UpstreamErrors.unavailable(spec.name(), "was not connected: the gateway is stopping");
    }
    Resilience r = ownBreaker ? new Resilience(spec.name(), settings, events, timer)
        : resilience.compute(gatewayId, (id, existing) ->
            existing != null && existing.upstream().equals(spec.name()) ? existing
                : new Resilience(spec.name(), settings, events, timer));
    if (spec.transport() == UpstreamSpec.Transport.STATELESS_HTTP) {
      URI url = uri(spec);
      StatelessHttpClient client = new StatelessHttpClient(spec.name(), url, httpFor(spec), r, settings,
          initializeParams, shared, onClose, UpstreamTarget.of(spec, url), tracer);
      client.setListener(listener);
      return client;
    }
    ExecutorService sender;
    MessageTransport transport;
    URI url = null;
    switch (spec.transport()) {
      case STREAMABLE_HTTP -> {
        url = uri(spec);
        sender = Executors.newVirtualThreadPerTaskExecutor();
        transport = new StreamableHttpTransport(spec.name(), url, httpFor(spec), io);
      }
      case SSE -> {
        url = uri(spec);
        sender = serial(spec.name());
        transport = new SseTransport(spec.name(), url, httpFor(spec));
      }
      case STDIO -> {
        if (spec.command() == null || spec.command().isBlank()) {
          throw UpstreamErrors.protocol(spec.name(), "has no command to run");
        }
        sender = serial(spec.name());
        transport = new StdioTransport(spec.name(), spec.command(), spec.args(),
            stdioEnvironment.forChild(gatewayEnvironment, spec.env()));
      }
      default -> throw new IllegalStateException("unknown transport " + spec.transport());
    }
    TransportClient client = new TransportClient(spec.name(), transport, r, settings, sender, timer,
        initializeParams, onClose, UpstreamTarget.of(spec, url), tracer);
    client.setListener(listener);
    return client;
  }

  private UpstreamHttp httpFor(UpstreamSpec spec) {
    return new UpstreamHttp(spec.name(), http, spec.headers(), settings.connectTimeout(), draining);
  }

  private static URI uri(UpstreamSpec spec) {
    try {
      URI u = URI.create(Objects.requireNonNull(spec.url(), "url"));
      if (!"http".equalsIgnoreCase(u.getScheme()) && !"https".equalsIgnoreCase(u.getScheme())) {
        throw new IllegalArgumentException("not http(s)");
      }
      return u;
    } catch (RuntimeException e) {
      throw UpstreamErrors.protocol(spec.name(), "has no usable http(s) url");
    }
  }

  /** One virtual thread writing in order, behind a bounded queue. */
  private static ExecutorService serial(String upstream) {
    return new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(SEND_QUEUE),
        Thread.ofVirtual().name("mcpgw-send-" + upstream).factory());
  }

  @Override
  public Optional<UpstreamClient> get(String gatewayId) {
    return Optional.ofNullable(clients.get(gatewayId));
  }

  /**
   * The session for a call: the current one when connected; else, for an upstream that is registered and whose
   * circuit is not open, one reconnect attempt shared by every concurrent caller, waited for at most
   * {@link #RECOVERY_WAIT}. When that does not succeed in time, the current session (if any) is returned, whose call
   * then fails with its own error.
   */
  @Override
  public Optional<UpstreamClient> usable(String gatewayId) {
    UpstreamClient current = clients.get(gatewayId);
    if (current != null && current.health().connected()) {
      return Optional.of(current);
    }
    UpstreamSpec spec = specs.get(gatewayId);
    Resilience r = resilience.get(gatewayId);
    if (spec == null || closed || (r != null && "OPEN".equals(r.state()))) {
      return Optional.ofNullable(current);
    }
    CompletableFuture<UpstreamClient> attempt = connecting.get(gatewayId); // the registry's, or another call's
    if (attempt == null) {
      UpstreamListener listener = listeners.getOrDefault(gatewayId, UpstreamListener.NONE);
      // connect() touches other maps only, so it may run inside this map's computeIfAbsent
      CompletableFuture<UpstreamClient> started = recovering.computeIfAbsent(gatewayId, id -> {
        LOG.info("upstream '{}' is down; reconnecting for a call", spec.name());
        return connect(id, spec, listener);
      });
      started.whenComplete((c, e) -> recovering.remove(gatewayId, started));
      attempt = started;
    }
    try {
      return Optional.of(attempt.get(RECOVERY_WAIT.toMillis(), TimeUnit.MILLISECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      LOG.debug("upstream '{}': the reconnect for a call did not succeed in time: {}", spec.name(),
          e.getCause() == null ? e.toString() : e.getCause().getMessage());
    }
    return Optional.ofNullable(clients.get(gatewayId));
  }

  /** The state of the upstream's circuit breaker, {@code CLOSED} when nothing failed yet. */
  @Override
  public String circuitState(String gatewayId) {
    Resilience r = resilience.get(gatewayId);
    return r == null ? "CLOSED" : r.state();
  }

  /** How many sessions of single clients are open at the upstream now (0 when none). */
  int dedicatedSessions(String gatewayId) {
    DedicatedSlots s = slots.get(gatewayId);
    return s == null ? 0 : s.open();
  }

  @Override
  public void closeSessionsOf(String gatewayId, String owner) {
    Set<UpstreamClient> owned = sessions.get(gatewayId);
    if (owned == null || owner == null) {
      return;
    }
    List.copyOf(owned).stream().filter(c -> owner.equals(ownerOf.get(c))).forEach(UpstreamClient::close);
  }

  @Override
  public void disconnect(String gatewayId) {
    specs.remove(gatewayId);
    listeners.remove(gatewayId);
    UpstreamClient client = clients.remove(gatewayId);
    resilience.remove(gatewayId);
    if (client != null) {
      client.close();
    }
    Set<UpstreamClient> owned = sessions.remove(gatewayId);
    if (owned != null) {
      List.copyOf(owned).forEach(UpstreamClient::close);
    }
    slots.remove(gatewayId);
  }

  @Override
  public void close() {
    closed = true;
    Set<String> ids = new java.util.HashSet<>(clients.keySet());
    ids.addAll(specs.keySet());
    ids.addAll(sessions.keySet());
    ids.forEach(this::disconnect);
    timer.shutdownNow();
    http.pool().close();
    io.shutdownNow();
    try {
      io.awaitTermination(2, TimeUnit.SECONDS);
      timer.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
