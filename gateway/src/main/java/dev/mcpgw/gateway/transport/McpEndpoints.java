package dev.mcpgw.gateway.transport;

import dev.mcpgw.gateway.catalog.Catalog;
import dev.mcpgw.gateway.http.OriginPolicy;
import dev.mcpgw.gateway.mcp.RoutingUpstreamPool;
import dev.mcpgw.gateway.plugin.PluginChain;
import dev.mcpgw.gateway.mcp.ForwardTracing;
import dev.mcpgw.gateway.mcp.McpDispatcher;
import dev.mcpgw.gateway.mcp.MessageDispatch;
import dev.mcpgw.gateway.mcp.ProgressRouter;
import dev.mcpgw.gateway.upstream.UpstreamPool;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The downstream MCP endpoints: Streamable HTTP at {@code /mcp} and {@code /servers/{id}/mcp}, legacy SSE at
 * {@code /sse} + {@code /message} and {@code /servers/{id}/sse} + {@code /servers/{id}/message}, all answered by one
 * {@link McpDispatcher}. Progress reaches clients when the pool given is a {@link RoutingUpstreamPool}.
 */
public final class McpEndpoints {
  private static final Logger LOG = LoggerFactory.getLogger(McpEndpoints.class);

  private final Catalog catalog;
  private final McpDispatcher dispatcher;
  private final MessageDispatch entry;
  private final UnaryOperator<ExecutorService> workerWrapper;
  private final McpSettings settings;
  private final ProgressRouter progress;
  private final SessionObserver sessionObserver;
  private volatile McpSessions sessions;
  /** The stateless clients' listen streams, once mounted (for tests of this package). */
  private volatile Listens listens;
  /** Seals the requestState stateless clients get; random unless {@link #requestStateKey} gave the shared one. */
  private volatile byte[] stateKey = randomKey();

  private McpEndpoints(Catalog catalog, McpDispatcher dispatcher, MessageDispatch entry,
      UnaryOperator<ExecutorService> workerWrapper, McpSettings settings, ProgressRouter progress,
      SessionObserver sessionObserver) {
    this.sessionObserver = sessionObserver;
    this.catalog = catalog;
    this.dispatcher = dispatcher;
    this.entry = entry;
    this.workerWrapper = workerWrapper;
    this.settings = settings;
    this.progress = progress;
  }

  public static McpEndpoints create(Catalog catalog, UpstreamPool pool, PluginChain plugins, McpSettings settings) {
    return create(catalog, pool, plugins, settings, Instrumentation.NONE);
  }

  /**
   * What observes the endpoints, chosen once at build time (no-ops when observability is off).
   *
   * @param dispatch decorates the dispatch every client message passes through (the MCP SERVER span)
   * @param workers wraps the legacy-SSE workers, which answer off the request thread, so that they run in the
   *     request's trace context
   * @param forwarding wraps each call forwarded to an upstream (the {@code gateway.forward} span)
   * @param sessions told of every downstream session that opens and ends (the session metrics)
   */
  public record Instrumentation(UnaryOperator<MessageDispatch> dispatch, UnaryOperator<ExecutorService> workers,
      ForwardTracing forwarding, dev.mcpgw.gateway.usage.Metering metering, SessionObserver sessions) {
    public static final Instrumentation NONE =
        new Instrumentation(UnaryOperator.identity(), UnaryOperator.identity(), ForwardTracing.NONE);

    /** Without usage accounting and quotas, and without session observation. */
    public Instrumentation(UnaryOperator<MessageDispatch> dispatch, UnaryOperator<ExecutorService> workers,
        ForwardTracing forwarding) {
      this(dispatch, workers, forwarding, dev.mcpgw.gateway.usage.Metering.NONE, SessionObserver.NONE);
    }

    public Instrumentation {
      Objects.requireNonNull(dispatch, "dispatch");
      Objects.requireNonNull(workers, "workers");
      Objects.requireNonNull(forwarding, "forwarding");
      Objects.requireNonNull(metering, "metering");
      Objects.requireNonNull(sessions, "sessions");
    }
  }

  /** The same, observed by {@code instrumentation}. */
  public static McpEndpoints create(Catalog catalog, UpstreamPool pool, PluginChain plugins, McpSettings settings,
      Instrumentation instrumentation) {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(instrumentation, "instrumentation");
    ProgressRouter progress = pool instanceof RoutingUpstreamPool r ? r.progress() : null;
    if (progress == null) {
      LOG.info("upstream progress notifications are not routed to MCP clients: the pool is not a RoutingUpstreamPool");
    }
    McpDispatcher dispatcher = McpDispatcher.builder(catalog, pool, plugins).requestTimeout(settings.requestTimeout())
        .progress(progress).probeInterval(settings.keepAliveInterval()).forwarding(instrumentation.forwarding())
        .metering(instrumentation.metering()).build();
    return new McpEndpoints(catalog, dispatcher,
        Objects.requireNonNull(instrumentation.dispatch().apply(dispatcher), "decorated"), instrumentation.workers(),
        settings, progress, instrumentation.sessions());
  }

  /** The dispatcher every transport feeds (for tests and for other transports). */
  public McpDispatcher dispatcher() {
    return dispatcher;
  }

  /** How many calls wait for upstream progress right now (0 when idle). */
  public int pendingProgressRoutes() {
    return progress == null ? 0 : progress.activeRoutes();
  }

  /** How many downstream sessions are open (0 before {@link #mount}). */
  public long openSessions() {
    McpSessions s = sessions;
    return s == null ? 0 : s.size();
  }

  /**
   * The key that seals the {@code requestState} of multi round-trip requests handed to stateless clients (see
   * {@code SealedStates}): every instance serving the same clients must have the same one, so production derives it
   * from the secret key. Call before {@link #mount}.
   */
  public McpEndpoints requestStateKey(byte[] key) {
    if (key == null || key.length < 32) {
      throw new IllegalArgumentException("the request-state key needs 32 bytes at least");
    }
    this.stateKey = key.clone();
    return this;
  }

  private static byte[] randomKey() {
    byte[] key = new byte[32];
    new java.security.SecureRandom().nextBytes(key);
    return key;
  }

  /** The listen streams of stateless clients; {@code null} before {@link #mount}. */
  Listens listens() {
    return listens;
  }

  /** Adds the MCP servlet to {@code ctx}; its sessions and workers end when the context stops. */
  public void mount(ServletContextHandler ctx) {
    ListChanges listChanges = new ListChanges(catalog);
    Listens listens = new Listens(catalog, settings);
    this.listens = listens;
    McpSessions sessions = new McpSessions(settings, streaming -> {
      // upstreams that left a client's scope stop reaching it, whether or not its stream is open
      dispatcher.closeRevokedUpstreams();
      listChanges.round(streaming);
      listens.round();
    }, dispatcher::sessionEnded, sessionObserver);
    this.sessions = sessions;
    ExecutorService workers = workerWrapper.apply(Executors.newVirtualThreadPerTaskExecutor());
    McpServlet servlet = new McpServlet(catalog, new OriginPolicy(settings.allowedOrigins()),
        new StreamableHttp(entry, dispatcher, sessions, settings, new StatelessServing(entry, listens, catalog,
            new SealedStates(stateKey, java.time.Clock.systemUTC()), new HeldCalls(settings), workers)),
        new LegacySse(entry, dispatcher, sessions, settings, workers), () -> {
          sessions.close();
          listens.closeAll();
          workers.shutdownNow();
        });
    ServletHolder holder = new ServletHolder("mcp", servlet);
    holder.setAsyncSupported(true);
    for (String path : new String[] {"/mcp", "/sse", "/message", "/servers/*"}) {
      ctx.addServlet(holder, path);
    }
  }
}
