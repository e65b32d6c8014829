package dev.mcpgw.gateway;

import dev.mcpgw.gateway.mcp.RoutingUpstreamPool;
import dev.mcpgw.observability.Observability;
import dev.mcpgw.observability.config.ObservabilityConfig;
import dev.mcpgw.observability.config.ObservabilityConfigLoader;
import dev.mcpgw.observability.export.resilient.ResilienceConfig;
import dev.mcpgw.gateway.auth.AuthDecisions;
import dev.mcpgw.gateway.auth.Authenticator;
import dev.mcpgw.gateway.auth.JwtSecret;
import dev.mcpgw.gateway.auth.Tenancy;
import dev.mcpgw.gateway.auth.TokenService;
import dev.mcpgw.gateway.catalog.Catalog;
import dev.mcpgw.gateway.catalog.RegistryCatalog;
import dev.mcpgw.gateway.config.GatewaySettings;
import dev.mcpgw.gateway.upstream.UpstreamConnections;
import dev.mcpgw.gateway.upstream.UpstreamEvents;
import dev.mcpgw.gateway.upstream.UpstreamSettings;
import dev.mcpgw.gateway.console.ConsoleServlet;
import dev.mcpgw.gateway.console.ObservabilityApi;
import dev.mcpgw.gateway.demo.DemoUpstream;
import dev.mcpgw.gateway.federation.CredentialApi;
import dev.mcpgw.gateway.federation.CredentialService;
import dev.mcpgw.gateway.federation.CredentialVault;
import dev.mcpgw.gateway.federation.GatewayApi;
import dev.mcpgw.gateway.federation.GatewayService;
import dev.mcpgw.gateway.federation.GatewayView;
import dev.mcpgw.gateway.http.ApiRoutes;
import dev.mcpgw.gateway.http.GatewayServer;
import dev.mcpgw.gateway.logging.LogSetup;
import dev.mcpgw.gateway.plugin.PluginChain;
import dev.mcpgw.gateway.plugin.PluginChains;
import dev.mcpgw.gateway.prompt.PromptApi;
import dev.mcpgw.gateway.catalog.PromptRenderer;
import dev.mcpgw.gateway.prompt.PromptService;
import dev.mcpgw.gateway.resource.ResourceApi;
import dev.mcpgw.gateway.resource.ResourceService;
import dev.mcpgw.gateway.secret.SecretKeys;
import dev.mcpgw.gateway.server.ServerApi;
import dev.mcpgw.gateway.server.ServerService;
import dev.mcpgw.gateway.spanstore.SpanStore;
import dev.mcpgw.gateway.store.Database;
import dev.mcpgw.gateway.store.GatewayRepository;
import dev.mcpgw.gateway.store.ItemRepository;
import dev.mcpgw.gateway.store.Ownership;
import dev.mcpgw.gateway.store.Ownerships;
import dev.mcpgw.gateway.store.ServerRepository;
import dev.mcpgw.gateway.tenancy.TenantQuota;
import dev.mcpgw.gateway.tenancy.VisibilityApi;
import dev.mcpgw.gateway.catalog.ToolApi;
import dev.mcpgw.gateway.trace.GatewayTelemetry;
import dev.mcpgw.gateway.tenancy.QuotaApi;
import dev.mcpgw.gateway.tenancy.UsageApi;
import dev.mcpgw.gateway.tenancy.UsageQueries;
import dev.mcpgw.gateway.usage.Metering;
import dev.mcpgw.gateway.usage.Pricing;
import dev.mcpgw.gateway.usage.QuotaRepository;
import dev.mcpgw.gateway.usage.TokenCounter;
import dev.mcpgw.gateway.usage.UsageAccountant;
import dev.mcpgw.gateway.usage.UsageRepository;
import dev.mcpgw.gateway.transport.McpEndpoints;
import dev.mcpgw.gateway.transport.McpSettings;
import dev.mcpgw.gateway.upstream.UpstreamPool;
import dev.mcpgw.gateway.store.UpstreamSpec;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.function.Consumer;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running gateway: builds every part from {@link GatewaySettings}, starts them in dependency order and closes
 * them in reverse. A failure while starting closes what was already started and rethrows.
 */
public final class GatewayApplication implements AutoCloseable {
  /** {@code config/observability.yaml} (docs/configuration.md); a missing file means environment and defaults only. */
  static final Path OBSERVABILITY_FILE = Path.of("config", "observability.yaml");

  private static final Logger LOG = LoggerFactory.getLogger(GatewayApplication.class);

  /**
   * The parts other modules provide, so that tests can put doubles in and the wiring lives in one place.
   *
   * @param observability builds the OpenTelemetry pipeline; it is built before anything is opened, so that a wrong
   *     {@code OTEL_*} value stops start-up early, and every later part receives it. It is given the span store's
   *     exporter (empty when {@code MCPGW_SPAN_STORE=false}) to add beside the configured ones
   * @param pool builds the upstream session pool from the settings
   * @param mcpEndpoints what mounts the MCP endpoints ({@code /mcp}, {@code /servers/{id}/mcp})
   */
  public record Parts(BiFunction<GatewaySettings, Optional<SpanExporter>, Observability> observability,
      BiFunction<GatewaySettings, Observability, UpstreamPool> pool, Endpoints mcpEndpoints) {
    public Parts {
      Objects.requireNonNull(observability, "observability");
      Objects.requireNonNull(pool, "pool");
      Objects.requireNonNull(mcpEndpoints, "mcpEndpoints");
    }

    /** Parts whose pipeline ignores the span store (tests that export to memory): the store then stays empty. */
    public Parts(Function<GatewaySettings, Observability> observability,
        BiFunction<GatewaySettings, Observability, UpstreamPool> pool, Endpoints mcpEndpoints) {
      this((settings, spanStore) -> observability.apply(settings), pool, mcpEndpoints);
    }

    /**
     * The real parts: the pipeline from {@code OTEL_*} and {@code config/observability.yaml} (resilient export
     * buffered under the data dir), upstream connections over every transport and the MCP endpoints.
     */
    public static Parts production() {
      return new Parts(GatewayApplication::observabilityFromEnvironment,
          (settings, observability) -> {
            GatewayTelemetry telemetry = GatewayTelemetry.create(observability);
            return UpstreamConnections.builder(upstreamSettings(settings.upstream()))
                .tracer(telemetry.upstreamRequests()).events(telemetry.upstreamEvents())
                .stdioEnvironment(settings.upstream().stdioEnvironment())
                .dedicatedSessions(settings.upstream().dedicatedSessions()).build();
          },
          new Endpoints() {
            @Override
            public Consumer<ServletContextHandler> create(GatewaySettings settings, Catalog catalog, UpstreamPool pool,
                PluginChain plugins, Observability observability) {
              return create(settings, catalog, pool, plugins, observability, null);
            }

            @Override
            public Consumer<ServletContextHandler> create(GatewaySettings settings, Catalog catalog, UpstreamPool pool,
                PluginChain plugins, Observability observability, UsageAccountant usage) {
              GatewayTelemetry telemetry = GatewayTelemetry.create(observability);
              TokenCounter tokens = TokenCounter.create(settings.usage().tokenEncoding());
              McpEndpoints endpoints = McpEndpoints.create(catalog, pool, plugins, McpSettings.from(settings),
                  new McpEndpoints.Instrumentation(
                      telemetry.dispatch(tokens, usage == null ? Pricing.NONE : usage.pricing()),
                      telemetry.contextPropagating(), telemetry.forwarding(tokens),
                      usage == null ? Metering.NONE : usage, telemetry.sessions()))
                  .requestStateKey(SecretKeys.resolve(settings.secrets()).derivedKey("mcpgw mcp request state"));
              return endpoints::mount;
            }
          });
    }

    /** The same parts with another pipeline (tests give one that exports to memory, or a disabled one). */
    public Parts withObservability(Function<GatewaySettings, Observability> other) {
      return new Parts(other, pool, mcpEndpoints);
    }

    /** The same parts with another pipeline that may add the span store's exporter. */
    public Parts withObservability(BiFunction<GatewaySettings, Optional<SpanExporter>, Observability> other) {
      return new Parts(other, pool, mcpEndpoints);
    }
  }

  static Observability observabilityFromEnvironment(GatewaySettings settings, Optional<SpanExporter> spanStore) {
    ObservabilityConfig config = ObservabilityConfigLoader.fromEnvironment(OBSERVABILITY_FILE);
    Observability.Builder builder = Observability.builder(config)
        .resilientExport(ResilienceConfig.from(config.tracing().resilience(),
            settings.dataDir().resolve("telemetry-buffer")));
    spanStore.ifPresent(exporter -> builder.addSpanExporter(SpanStore.EXPORTER_NAME, exporter));
    if (spanStore.isPresent() && config.enabled() && config.tracing().enabled()
        && config.tracing().exporter().types().isEmpty()) {
      // the pipeline stays quiet about exporters when it has an extra one: say where spans go, and how to send them on
      LOG.info("Spans are kept in the embedded span store (the console at /console/) only: no span exporter is"
          + " configured for a trace backend. To export as well, set OTEL_EXPORTER_OTLP_ENDPOINT (e.g."
          + " http://localhost:4317) or OTEL_TRACES_EXPORTER=otlp|jaeger|zipkin|console|otlp_json.");
    }
    return builder.build();
  }

  /** The pool's settings from the gateway's ({@code MCPGW_UPSTREAM_*}). */
  static UpstreamSettings upstreamSettings(GatewaySettings.Upstream u) {
    return new UpstreamSettings(u.connectTimeout(), u.requestTimeout(), u.maxRetries(), u.retryBackoff(),
        u.breakerFailureThreshold(), u.breakerOpenDuration());
  }

  /**
   * Builds the MCP endpoints over the catalog, the pool and the plugin chain, returning what mounts them on the
   * server's context.
   */
  @FunctionalInterface
  public interface Endpoints {
    Consumer<ServletContextHandler> create(GatewaySettings settings, Catalog catalog, UpstreamPool pool,
        PluginChain plugins, Observability observability);

    /** The same, with usage accounting and quotas on every {@code tools/call}; by default without them. */
    default Consumer<ServletContextHandler> create(GatewaySettings settings, Catalog catalog, UpstreamPool pool,
        PluginChain plugins, Observability observability, UsageAccountant usage) {
      return create(settings, catalog, pool, plugins, observability);
    }
  }

  private final Deque<AutoCloseable> started;
  private final GatewayServer server;
  private final GatewaySettings settings;
  private final TokenService tokens;
  private final GatewayService gateways;
  private final DemoUpstream demo;
  private final PluginChain plugins;
  private final List<ApiRoutes.Endpoint> apiEndpoints;

  private GatewayApplication(Deque<AutoCloseable> started, GatewayServer server, GatewaySettings settings,
      TokenService tokens, GatewayService gateways, DemoUpstream demo, PluginChain plugins,
      List<ApiRoutes.Endpoint> apiEndpoints) {
    this.apiEndpoints = apiEndpoints;
    this.started = started;
    this.server = server;
    this.settings = settings;
    this.tokens = tokens;
    this.gateways = gateways;
    this.demo = demo;
    this.plugins = plugins;
  }

  /**
   * Opens the database, reconnects the registered upstreams in the background, starts serving and, with
   * {@code demo}, starts and registers the demo upstream.
   */
  public static GatewayApplication start(GatewaySettings settings, Parts parts, boolean demo) throws Exception {
    Deque<AutoCloseable> started = new ArrayDeque<>();
    try {
      // the line format before anything logs (MCPGW_LOG_FORMAT)
      LogSetup.useFormat(settings.logging().format());
      // the OpenTelemetry pipeline first, so that a wrong OTEL_* value stops start-up before anything is opened
      // the span store's queue exists before the pipeline that feeds it; its writer starts once the database is open
      SpanStore spanStore = SpanStore.create(settings.spanStore());
      Observability observability = parts.observability().apply(settings, spanStore.exporter());
      started.push(observability);
      // log lines to the OpenTelemetry logs pipeline when it is on (detached before the pipeline shuts down)
      started.push(LogSetup.exportTo(observability));
      GatewayTelemetry telemetry = GatewayTelemetry.create(observability);
      // next, so that an invalid plugins: section stops start-up before the database or a port is opened
      PluginChain plugins = PluginChains.fromConfig(settings.plugins(), telemetry.pluginListener());
      // and an invalid pricing file (MCPGW_PRICING_FILE), naming the file and the key
      Pricing pricing = Pricing.load(settings.usage().pricingFile());
      Database db = Database.open(settings.database(), telemetry.dataSource(), SecretKeys.resolve(settings.secrets()));
      started.push(db);
      db.observeStatements(telemetry.statements(db.systemName()));
      spanStore.start(db);
      started.push(spanStore);
      TokenService tokens = TokenService.create(JwtSecret.resolve(settings), settings.jwt());
      Authenticator authenticator = Authenticator.create(settings, tokens, AuthDecisions.observed(
          observability.enabled() && observability.config().metrics().enabled() ? observability.meter() : null));

      GatewayRepository gatewayRepo = new GatewayRepository(db);
      // fails start-up naming the key's setting when the stored secrets do not decrypt with it
      int sealed = gatewayRepo.sealPlaintextRows();
      if (sealed > 0) {
        LOG.info("encrypted the secrets of {} upstream(s) stored before encryption at rest", sealed);
      }
      ItemRepository items = new ItemRepository(db);
      ServerRepository serverRepo = new ServerRepository(db);
      PromptRenderer renderer = new PromptRenderer(telemetry.promptRendering());
      RegistryCatalog catalog = new RegistryCatalog(gatewayRepo, items, serverRepo, renderer, settings.catalogCacheTtl());
      Runnable onChange = catalog::invalidate;

      // routed once here, so that upstream progress finds the downstream request whichever part connected the session
      // per-user upstream credentials (ADR 0018): the dispatcher asks the vault through the routed pool
      UpstreamPool pool = RoutingUpstreamPool.wrap(parts.pool().apply(settings, observability), new CredentialVault(db));
      started.push(pool);
      // one tenant's admins create at most this many entities of each kind (platform admins are not limited)
      TenantQuota quota = new TenantQuota(new Ownerships(db), settings.maxEntitiesPerTenant());
      GatewayService gateways = GatewayService.builder(db, pool, settings.upstream()).onChange(onChange)
          .batches(telemetry.batches()).quota(quota).build();
      started.push(gateways);
      started.push(telemetry.upstreamGauges(gateways::list));

      // usage accounting and quotas (docs/usage.md): one background thread, flushed to the database
      UsageAccountant usage = UsageAccountant.builder(new UsageRepository(db), new QuotaRepository(db),
              TokenCounter.create(settings.usage().tokenEncoding()))
          .pricing(pricing).flushInterval(settings.usage().flushInterval()).requestModel(telemetry.requestModel())
          .perCall(telemetry.toolCallSpans())
          .listener(telemetry.usageMetrics(pricing.currency())).start();
      started.push(usage);

      ApiRoutes routes = new ApiRoutes();
      GatewayApi.register(routes, gateways);
      CredentialApi.register(routes, new CredentialService(db, gateways, pool));
      ToolApi.register(routes, catalog);
      PromptApi.register(routes, new PromptService(items, renderer, onChange, quota), catalog);
      ResourceApi.register(routes, new ResourceService(items, onChange, quota), catalog);
      ServerService servers = new ServerService(serverRepo, gatewayRepo, items, onChange, quota);
      ServerApi.register(routes, servers);
      VisibilityApi.register(routes, new Ownerships(db), onChange);
      ObservabilityApi.register(routes, spanStore);
      UsageQueries usageQueries = new UsageQueries(new UsageRepository(db), new QuotaRepository(db), usage);
      UsageApi.register(routes, usageQueries);
      QuotaApi.register(routes, new QuotaRepository(db), usage, usageQueries);

      GatewayServer server = GatewayServer.builder(settings, authenticator, routes, db::isReachable)
          .mounts(parts.mcpEndpoints().create(settings, telemetry.catalog(catalog), pool, plugins, observability, usage)
              .andThen(telemetry.metricsEndpoint())
              .andThen(ctx -> ConsoleServlet.mount(ctx, new ConsoleServlet.Sources(spanStore, gateways, catalog,
                  servers, authenticator, tokens, observability.metricsScrape(), settings.spanStore().traceLink(),
                  usageQueries))))
          .observers(java.util.stream.Stream.concat(telemetry.httpFilters(routes).stream(),
              telemetry.requestRecording(routes, settings.logging().accessLog()).stream()).toList())
          .build();
      server.start();
      started.push(server);
      LOG.info("mcpgw listening on http://{}:{} (database {})", settings.host(), server.port(),
          db.isSqlite() ? settings.database().url() : "PostgreSQL");

      DemoUpstream demoUpstream = null;
      if (demo) {
        demoUpstream = DemoUpstream.start();
        started.push(demoUpstream);
        GatewayView view = gateways.ensure(new UpstreamSpec(DemoUpstream.NAME, UpstreamSpec.Transport.STREAMABLE_HTTP,
            demoUpstream.url(), null, List.of(), Map.of(), Map.of()), Ownership.publicOf(Tenancy.DEFAULT_TENANT));
        LOG.info("demo upstream '{}' registered at {} with {}", view.name(), demoUpstream.url(), view.counts());
      }
      // after the demo is ensured at its new address: a reconnect of the previous run's address racing with it would
      // replace the demo's fresh session
      gateways.reconnectAll();
      gateways.startHealthChecks(settings.healthCheckInterval());
      // instances sharing PostgreSQL: each connects what another registered within the catalog's TTL
      gateways.followRegistry(settings.catalogCacheTtl());
      return new GatewayApplication(started, server, settings, tokens, gateways, demoUpstream, plugins,
          routes.endpoints());
    } catch (Exception | Error e) {
      closeAll(started, e);
      throw e;
    }
  }

  /** The bound port. */
  public int port() {
    return server.port();
  }

  /** {@code http://host:port} of the running gateway. */
  public String baseUrl() {
    String host = settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host();
    return "http://" + ("0.0.0.0".equals(host) ? "127.0.0.1" : host) + ":" + port();
  }

  /** Mints tokens with the server's own secret. */
  public TokenService tokens() {
    return tokens;
  }

  public GatewayService gateways() {
    return gateways;
  }

  /** The plugin chain built from the {@code plugins:} section, to be run at each hook of the MCP path. */
  public PluginChain plugins() {
    return plugins;
  }

  /** Every admin API route (method and pattern) the server answers, e.g. for coverage tests. */
  public List<ApiRoutes.Endpoint> apiEndpoints() {
    return apiEndpoints;
  }

  /** Whether the demo upstream runs in this process. */
  public boolean hasDemo() {
    return demo != null;
  }

  @Override
  public void close() {
    closeAll(started, null);
  }

  private static void closeAll(Deque<AutoCloseable> started, Throwable primary) {
    while (!started.isEmpty()) {
      AutoCloseable c = started.pop();
      try {
        c.close();
      } catch (Exception e) {
        if (primary != null) {
          primary.addSuppressed(e);
        } else {
          LOG.warn("error while stopping {}: {}", c.getClass().getSimpleName(), e.toString());
        }
      }
    }
  }
}
