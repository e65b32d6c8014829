package dev.mcpgw.gateway.http;

import dev.mcpgw.gateway.auth.Authenticator;
import dev.mcpgw.gateway.config.GatewaySettings;
import jakarta.servlet.DispatcherType;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The gateway's Jetty server. Connections are counted per client address and their request headers bounded in time
 * ({@link ClientConnections}, {@link ConnectionGuard}); no {@code Server} or {@code X-Powered-By} header is sent, and
 * every error Jetty answers itself is JSON ({@link JsonErrorPages}). Every request passes, in order: request id, the
 * observing filters (the HTTP SERVER span, when tracing is on), body size and time limits, the {@code Host} check,
 * the admin API's CSRF check, authentication (not for the probes), the admin API routes; then the servlets mounted
 * by others (the MCP endpoints) or a JSON 404.
 */
public final class GatewayServer implements AutoCloseable {
  private final Server server;
  private final ServerConnector connector;
  private final ServletContextHandler context;

  private GatewayServer(Server server, ServerConnector connector, ServletContextHandler context) {
    this.server = server;
    this.connector = connector;
    this.context = context;
  }

  /**
   * A server for {@code settings}, authenticating with {@code authenticator}, serving the admin API {@code routes},
   * and answering {@code /ready} from {@code databaseReachable}; mounts and observers are added on the builder.
   */
  public static Builder builder(GatewaySettings settings, Authenticator authenticator, ApiRoutes routes,
      BooleanSupplier databaseReachable) {
    return new Builder(settings, authenticator, routes, databaseReachable);
  }

  /** The parts of a server; mounts and observers are none unless given. */
  public static final class Builder {
    private final GatewaySettings settings;
    private final Authenticator authenticator;
    private final ApiRoutes routes;
    private final BooleanSupplier databaseReachable;
    private Consumer<ServletContextHandler> mounts = ctx -> { };
    private List<? extends jakarta.servlet.Filter> observers = List.of();

    private Builder(GatewaySettings settings, Authenticator authenticator, ApiRoutes routes,
        BooleanSupplier databaseReachable) {
      this.settings = Objects.requireNonNull(settings, "settings");
      this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
      this.routes = Objects.requireNonNull(routes, "routes");
      this.databaseReachable = Objects.requireNonNull(databaseReachable, "databaseReachable");
    }

    /** Adds further servlets to the context (e.g. {@code McpEndpoints::mount}); they run behind the filters. */
    public Builder mounts(Consumer<ServletContextHandler> servlets) {
      this.mounts = Objects.requireNonNull(servlets, "mounts");
      return this;
    }

    /**
     * Filters that see every request right after it got its id, before anything can refuse it (so that a 401 or
     * 413 is traced too); none when observability is off.
     */
    public Builder observers(List<? extends jakarta.servlet.Filter> filters) {
      this.observers = List.copyOf(filters);
      return this;
    }

    public GatewayServer build() {
      return create(settings, authenticator, routes, databaseReachable, mounts, observers);
    }
  }

  private static GatewayServer create(GatewaySettings settings, Authenticator authenticator, ApiRoutes routes,
      BooleanSupplier databaseReachable, Consumer<ServletContextHandler> mounts,
      List<? extends jakarta.servlet.Filter> observers) {
    QueuedThreadPool threads = new QueuedThreadPool();
    threads.setName("mcpgw-http");
    // requests block on upstreams for seconds: a virtual thread each keeps platform threads free
    threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
    Server server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost(settings.host());
    connector.setPort(settings.port());
    GatewaySettings.Web web = settings.web();
    ClientConnections connections = new ClientConnections(web.maxConnectionsPerClient(), web.headerTimeout());
    connector.addEventListener(connections);
    server.addBean(connections);
    server.addConnector(connector);
    server.setStopTimeout(5_000);

    ServletContextHandler ctx = new ServletContextHandler("/", ServletContextHandler.NO_SESSIONS);
    ResourceMetadata metadata = new ResourceMetadata(settings.oidc());
    EnumSet<DispatcherType> request = EnumSet.of(DispatcherType.REQUEST);
    // async-capable, so that the MCP endpoints behind them may stream (SSE) with startAsync()
    List<jakarta.servlet.Filter> filters = new ArrayList<>();
    filters.add(new RequestIdFilter());
    filters.addAll(observers);
    filters.addAll(List.of(new BodyLimitFilter(settings.maxBodyBytes(), web.bodyTimeout()),
        new HostFilter(HostPolicy.create(settings.host(), web.allowedHosts())),
        new CsrfFilter(new OriginPolicy(settings.endpoints().allowedOrigins()), routes),
        new AuthFilter(authenticator, metadata), new ApiFilter(routes)));
    for (jakarta.servlet.Filter f : filters) {
      FilterHolder holder = new FilterHolder(f);
      holder.setAsyncSupported(true);
      ctx.addFilter(holder, "/*", request);
    }
    ServletHolder probes = new ServletHolder(new ProbeServlet(databaseReachable));
    ctx.addServlet(probes, "/health");
    ctx.addServlet(probes, "/ready");
    ServletHolder resourceMetadata = new ServletHolder(new ResourceMetadataServlet(metadata));
    ctx.addServlet(resourceMetadata, ResourceMetadata.WELL_KNOWN);
    ctx.addServlet(resourceMetadata, ResourceMetadata.WELL_KNOWN + "/*");
    ctx.addServlet(new ServletHolder(new NotFoundServlet()), "/");
    mounts.accept(ctx);
    ctx.setErrorHandler(new JsonErrorPages.ContextErrors());
    server.setHandler(new ConnectionGuard(ctx, connections));
    // errors Jetty answers before a request reaches the context (a malformed request line, ...): JSON too
    server.setErrorHandler(new JsonErrorPages.ServerErrors());
    return new GatewayServer(server, connector, ctx);
  }

  /** Binds and starts serving. */
  public void start() throws Exception {
    server.start();
  }

  /** The bound port (useful when the settings asked for 0). */
  public int port() {
    return connector.getLocalPort();
  }

  @Override
  public void close() throws Exception {
    // the context first: its servlets end their long-lived streams (MCP sessions, SSE), which a graceful server
    // stop would otherwise wait on until the stop timeout
    context.stop();
    server.stop();
  }
}
