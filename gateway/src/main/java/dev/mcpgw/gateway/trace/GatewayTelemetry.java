package dev.mcpgw.gateway.trace;

import com.zaxxer.hikari.HikariDataSource;
import dev.mcpgw.gateway.catalog.Catalog;
import dev.mcpgw.gateway.catalog.RenderObserver;
import dev.mcpgw.gateway.federation.GatewayView;
import dev.mcpgw.gateway.upstream.UpstreamEvents;
import dev.mcpgw.gateway.transport.SessionObserver;
import java.util.function.Supplier;
import dev.mcpgw.gateway.federation.BatchTracer;
import dev.mcpgw.gateway.http.ApiRoutes;
import dev.mcpgw.gateway.mcp.ForwardTracing;
import dev.mcpgw.gateway.mcp.MessageDispatch;
import dev.mcpgw.gateway.plugin.PluginChainListener;
import dev.mcpgw.gateway.upstream.RequestTracer;
import dev.mcpgw.gateway.usage.TokenCounter;
import dev.mcpgw.observability.Observability;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.instrumentation.jdbc.datasource.JdbcTelemetry;
import jakarta.servlet.Filter;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import dev.mcpgw.gateway.store.StatementObserver;

/**
 * Hands the gateway its instrumentation, decided once from the observability module: with tracing (metrics) on, the
 * decorators that make spans (measurements) at each seam; with it off (or {@code OTEL_ENABLE_OBSERVABILITY=false}),
 * the identity and empty lists, so the request path runs the plain objects with no per-request check and no extra
 * allocation.
 */
public final class GatewayTelemetry {
  static final String ACTIVE_SESSIONS = "mcpgw.sessions.active";
  private final Observability observability;
  private final boolean tracing;
  private final boolean metrics;
  private final boolean gatewayMetrics;

  private GatewayTelemetry(Observability observability, boolean tracing, boolean metrics) {
    this.observability = observability;
    this.tracing = tracing;
    this.metrics = metrics;
    // upstream, plugin and pool metrics: on whenever metrics are (they are not the "http" collector's)
    this.gatewayMetrics = observability.enabled() && observability.config().metrics().enabled();
  }

  public static GatewayTelemetry create(Observability observability) {
    Objects.requireNonNull(observability, "observability");
    return new GatewayTelemetry(observability,
        observability.enabled() && observability.config().tracing().enabled(),
        // request metrics are the "http" metrics collector: off when that collector is disabled
        observability.enabled() && observability.config().metrics().enabled()
            && observability.config().metrics().collectorEnabled("http"));
  }

  /** Whether spans are recorded at all (false: the tracing methods here return pass-through objects). */
  public boolean enabled() {
    return tracing;
  }

  /** The filters that make the HTTP SERVER span, to run right after the request id is known; none when off. */
  public List<Filter> httpFilters(ApiRoutes routes) {
    return tracing
        ? List.of(new HttpServerSpanFilter(observability.tracer(), observability.propagator(), new RouteTemplates(routes)))
        : List.of();
  }

  /**
   * The filter that hands each finished request to the HTTP request metrics ({@code http.server.request.duration},
   * with the metrics on) and the access log (with {@code accessLog}); none when neither is on. Mount it after
   * {@link #httpFilters}, inside the HTTP SERVER span.
   */
  public List<Filter> requestRecording(ApiRoutes routes, boolean accessLog) {
    List<java.util.function.Consumer<CompletedRequest>> listeners = new java.util.ArrayList<>();
    if (metrics) {
      listeners.add(new HttpServerMetrics(observability.meter()));
    }
    if (accessLog) {
      listeners.add(new AccessLog());
    }
    return listeners.isEmpty() ? List.of() : List.of(new HttpRequestRecorder(new RouteTemplates(routes), listeners));
  }

  /**
   * Wraps the MCP dispatch point in the MCP SERVER span (and a {@code resources/read} in its {@code resource.read}
   * span); the identity when off.
   */
  public UnaryOperator<MessageDispatch> dispatch() {
    return dispatch(null);
  }

  /**
   * As {@link #dispatch()}, and with tracing on the tokens of every tool call's arguments and result counted by
   * {@code tokensOrNull} onto its span, off the request thread ({@link ToolCallTokens}).
   */
  public UnaryOperator<MessageDispatch> dispatch(TokenCounter tokensOrNull) {
    return dispatch(tokensOrNull, dev.mcpgw.gateway.usage.Pricing.NONE);
  }

  /**
   * As {@link #dispatch(TokenCounter)}, and each counted tool call's span also gets its attributed cost ({@code
   * mcpgw.usage.cost}, with {@code gen_ai.request.model}) from {@code pricing}.
   */
  public UnaryOperator<MessageDispatch> dispatch(TokenCounter tokensOrNull, dev.mcpgw.gateway.usage.Pricing pricing) {
    ToolCallTokens tokens = tracing && tokensOrNull != null ? new ToolCallTokens(tokensOrNull, pricing) : null;
    UnaryOperator<MessageDispatch> measured = metrics
        ? next -> new McpServerMetrics(next, observability.meter())
        : UnaryOperator.identity();
    // the span outermost, so that measurements are taken inside it (exemplars point at the trace)
    return tracing
        ? next -> new McpServerSpans(measured.apply(new ResourceReadSpans(next, observability)), observability.tracer(),
            observability.propagator(), observability.payloads(), tokens)
        : measured;
  }

  /**
   * Mounts {@code GET /metrics}: the Prometheus exposition when the {@code prometheus} metrics exporter is on, a JSON
   * 404 naming the setting otherwise.
   */
  public Consumer<ServletContextHandler> metricsEndpoint() {
    MetricsServlet servlet = new MetricsServlet(observability.metricsScrape().orElse(null));
    return ctx -> ctx.addServlet(new ServletHolder("metrics", servlet), "/metrics");
  }

  /**
   * Wraps the forwarding of a call to the upstream that owns it in the INTERNAL {@code gateway.forward} span;
   * {@link ForwardTracing#NONE} when off.
   */
  public ForwardTracing forwarding() {
    return forwarding(null);
  }

  /**
   * As {@link #forwarding()}, and relayed {@code sampling/createMessage} requests get GenAI spans whose token usage
   * {@code tokensOrNull} estimates.
   */
  public ForwardTracing forwarding(TokenCounter tokensOrNull) {
    ForwardTracing spans = tracing ? new ForwardSpans(observability.tracer(), observability.payloads(), tokensOrNull)
        : ForwardTracing.NONE;
    // relayed model calls' gen_ai.client.* metrics, with metrics on
    return gatewayMetrics ? new SamplingMetrics(spans, observability.meter(), tokensOrNull) : spans;
  }

  /**
   * Starts the CLIENT span of each request to an upstream and puts its context into the request's headers and
   * {@code params._meta} (baggage cut to the W3C limits); {@link RequestTracer#NONE} when off.
   */
  public RequestTracer upstreamRequests() {
    return tracing ? new SpanRequestTracer(observability.tracer(), observability.propagator()) : RequestTracer.NONE;
  }

  /**
   * Reads the model the current request names in its W3C baggage ({@code gen_ai.request.model}, from the HTTP
   * {@code baggage} header or the MCP message's {@code params._meta}); the baggage is extracted with tracing on, so
   * with it off this reads nothing and the tenant's default model applies.
   */
  public Supplier<String> requestModel() {
    return tracing ? () -> io.opentelemetry.api.baggage.Baggage.current().getEntryValue(REQUEST_MODEL_BAGGAGE)
        : () -> null;
  }

  /**
   * What the usage store asks on the request thread, so that a sampled tool call's span takes its token counts from
   * the store instead of counting them a second time ({@code UsageAccountant.Builder#perCall}); nobody when off.
   */
  public Supplier<java.util.function.Consumer<dev.mcpgw.gateway.usage.Accounted>> toolCallSpans() {
    return tracing ? ToolCallTokens::attachCurrent : () -> null;
  }

  /** The baggage key that names the model a request's usage is attributed to. */
  public static final String REQUEST_MODEL_BAGGAGE = "gen_ai.request.model";

  /**
   * The usage and quota metrics ({@code gen_ai.client.token.usage}, {@code mcpgw.usage.*}, {@code mcpgw.quota.*}),
   * cost in {@code currency}; {@link dev.mcpgw.gateway.usage.UsageListener#NONE} when metrics are off.
   */
  public dev.mcpgw.gateway.usage.UsageListener usageMetrics(String currency) {
    return gatewayMetrics ? new UsageMetrics(observability.meter(), currency)
        : dev.mcpgw.gateway.usage.UsageListener.NONE;
  }

  /** The catalog with {@code tool.lookup} and {@code prompt.render} spans; the same catalog when off. */
  public Catalog catalog(Catalog catalog) {
    return tracing ? new TracedCatalog(catalog, observability) : catalog;
  }

  /** The plugin chain's listener that makes the {@code plugin.<hook>} spans; {@link PluginChainListener#NOOP} when off. */
  public PluginChainListener pluginListener() {
    PluginChainListener spans = tracing ? new PluginSpans(observability.tracer()) : PluginChainListener.NOOP;
    if (!gatewayMetrics) {
      return spans;
    }
    PluginMetrics measured = new PluginMetrics(observability.meter());
    return tracing ? new PluginChainListener() {
      @Override
      public void onPluginRun(dev.mcpgw.gateway.plugin.Hook hook, dev.mcpgw.gateway.plugin.HookContext context,
          String plugin, int priority, dev.mcpgw.gateway.plugin.PluginConfig.Mode mode, Outcome outcome,
          boolean modified, long nanos, Throwable error) {
        spans.onPluginRun(hook, context, plugin, priority, mode, outcome, modified, nanos, error);
        measured.onPluginRun(hook, context, plugin, priority, mode, outcome, modified, nanos, error);
      }
    } : measured;
  }

  /**
   * What the upstream pool tells of retries, breaker transitions and each request's end: the upstream metrics
   * ({@code mcp.client.operation.duration}, {@code mcpgw.upstream.*}); {@link UpstreamEvents#NONE} when off.
   */
  public UpstreamEvents upstreamEvents() {
    return gatewayMetrics ? new UpstreamMetrics(observability.meter()) : UpstreamEvents.NONE;
  }

  /**
   * What hears of downstream sessions opening and ending: {@code mcp.server.session.duration} and
   * {@code mcpgw.sessions.active} by transport ({@link SessionMetrics}); {@link SessionObserver#NONE} when metrics are
   * off.
   */
  public SessionObserver sessions() {
    return gatewayMetrics ? new SessionMetrics(observability.meter()) : SessionObserver.NONE;
  }

  /**
   * Registers the per-upstream health gauges ({@code mcpgw.upstream.up}, {@code mcpgw.upstream.circuit_breaker.state})
   * read from {@code upstreams} at each collection; closing removes them. Nothing when metrics are off.
   */
  public AutoCloseable upstreamGauges(Supplier<List<GatewayView>> upstreams) {
    return gatewayMetrics ? new UpstreamGauges(upstreams, observability.meter()) : () -> {};
  }

  /** What reports template cache hits and substitutions on the {@code prompt.render} span; a no-op when off. */
  public RenderObserver promptRendering() {
    return tracing ? PromptRenderSpans.INSTANCE : RenderObserver.NONE;
  }

  /**
   * Observes the registry's DataSource. With the {@code database} metrics collector on, its connection pool
   * ({@link ConnectionPoolMetrics}). With tracing on, the OpenTelemetry JDBC instrumentation: a CLIENT span per
   * statement, its text sanitised (literals replaced by {@code ?}), parameters never captured, {@code db.system} from
   * the URL, no span per borrowed connection (the pool's, which would only be noise); its statement metrics only
   * with the {@code database} collector on. The identity when both are off.
   */
  public UnaryOperator<DataSource> dataSource() {
    boolean databaseMetrics = metricsOn() && observability.config().metrics().collectorEnabled("database");
    UnaryOperator<DataSource> pool = databaseMetrics
        ? ds -> ConnectionPoolMetrics.register(observability.meter(), ds)
        : UnaryOperator.identity();
    if (!tracing) {
      return pool;
    }
    OpenTelemetry sdk = observability.openTelemetry();
    MeterProvider meters = databaseMetrics ? sdk.getMeterProvider() : MeterProvider.noop();
    OpenTelemetry spansOnly = new OpenTelemetry() {
      @Override
      public TracerProvider getTracerProvider() {
        return sdk.getTracerProvider();
      }

      @Override
      public MeterProvider getMeterProvider() {
        return meters;
      }

      @Override
      public ContextPropagators getPropagators() {
        return sdk.getPropagators();
      }
    };
    JdbcTelemetry jdbc = JdbcTelemetry.builder(spansOnly)
        .setDataSourceInstrumenterEnabled(false)
        .setQuerySanitizationEnabled(true)
        .setCaptureQueryParameters(false)
        .build();
    return ds -> jdbc.wrap(pool.apply(ds));
  }

  /**
   * Times every statement run through the registry database's Jdbi ({@code db.client.operation.duration} with
   * {@code db.system.name} = {@code system}) when the {@code database} metrics collector is on;
   * {@link StatementObserver#NONE} otherwise.
   */
  public StatementObserver statements(String system) {
    return metricsOn() && observability.config().metrics().collectorEnabled("database")
        ? new DbClientMetrics(observability.meter(), system) : StatementObserver.NONE;
  }

  private boolean metricsOn() {
    return observability.enabled() && observability.config().metrics().enabled();
  }

  /** Gives the registry's batch operations a parent span with a child per upstream; runs them plainly when off. */
  public BatchTracer batches() {
    return tracing ? new BatchSpans(observability.tracer()) : BatchTracer.NONE;
  }

  /**
   * Makes tasks handed to an executor run in the context of the thread that handed them over (legacy SSE answers off
   * the POST's thread, still inside its trace); the identity when off.
   */
  public UnaryOperator<ExecutorService> contextPropagating() {
    return tracing ? Context::taskWrapping : UnaryOperator.identity();
  }
}
