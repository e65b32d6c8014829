package dev.mcpgw.observability;

import dev.mcpgw.observability.config.ObservabilityConfig;
import dev.mcpgw.observability.export.MetricsScrape;
import dev.mcpgw.observability.export.SpanExporterDecorator;
import dev.mcpgw.observability.export.resilient.ResilienceConfig;
import dev.mcpgw.observability.internal.export.NamedSpanExporter;
import dev.mcpgw.observability.privacy.PayloadCapture;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.Clock;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The observability module's entry point: built once from configuration, shared by the whole gateway, shut down
 * once at exit. It offers the OpenTelemetry objects (tracer, meter, propagator) and helpers
 * for code away from the seams: {@link #span}, {@link #addEvent}, {@link #setAttribute}, {@link #recordException},
 * {@link #trace} and {@link #traceAsync} (the contract is in docs/trace-shape.md).
 *
 * <p>When disabled every object is OpenTelemetry's no-op and the helpers run the work directly; the choice is made
 * here, once, not on each call. No helper throws because of telemetry: only the traced work's own exceptions
 * propagate, unchanged.
 */
public final class Observability implements AutoCloseable {

  /** Instrumentation scope of the gateway's spans and metrics. */
  public static final String INSTRUMENTATION_NAME = "dev.mcpgw";
  private static final Logger LOG = LoggerFactory.getLogger(Observability.class);
  private static final Duration DEFAULT_SHUTDOWN_WAIT = Duration.ofSeconds(10);
  private static final Observability NOOP = new Observability(ObservabilityConfig.disabled(), null);

  private final ObservabilityConfig config;
  private final OpenTelemetry openTelemetry;
  private final OpenTelemetrySdk sdk;
  private final Tracer tracer;
  private final Meter meter;
  private final TextMapPropagator propagator;
  private final SpanRunner runner;
  private final PayloadCapture payloadCapture;
  private final MetricsScrape metricsScrape;
  private final List<AutoCloseable> closeables;
  private final AtomicBoolean shutDown = new AtomicBoolean();

  private Observability(ObservabilityConfig config, SdkPipeline pipeline) {
    this.config = config;
    if (pipeline == null) {
      this.openTelemetry = OpenTelemetry.noop();
      this.sdk = null;
      this.propagator = TextMapPropagator.noop();
      this.payloadCapture = PayloadCapture.disabled();
      this.metricsScrape = null;
      this.closeables = List.of();
    } else {
      this.openTelemetry = pipeline.sdk;
      this.sdk = pipeline.sdk;
      this.propagator = pipeline.propagator;
      this.payloadCapture = pipeline.payloadCapture;
      this.metricsScrape = pipeline.metricsScrape;
      this.closeables = pipeline.closeables;
    }
    this.tracer = openTelemetry.getTracer(INSTRUMENTATION_NAME, BuildInfo.VERSION);
    this.meter = openTelemetry.getMeter(INSTRUMENTATION_NAME);
    this.runner = pipeline == null ? DirectSpanRunner.INSTANCE : new TracingSpanRunner(tracer);
  }

  /** Builds the pipeline for {@code config}; a disabled config gives {@link #noop()}. */
  public static Observability create(ObservabilityConfig config) {
    return builder(config).build();
  }

  public static Builder builder(ObservabilityConfig config) {
    return new Builder(config);
  }

  /** The disabled module: OpenTelemetry's no-op objects, helpers that just run the work. */
  public static Observability noop() {
    return NOOP;
  }

  public boolean enabled() {
    return sdk != null;
  }

  public ObservabilityConfig config() {
    return config;
  }

  public OpenTelemetry openTelemetry() {
    return openTelemetry;
  }

  /** The gateway's tracer (scope {@value #INSTRUMENTATION_NAME}). */
  public Tracer tracer() {
    return tracer;
  }

  /** The gateway's meter (scope {@value #INSTRUMENTATION_NAME}). */
  public Meter meter() {
    return meter;
  }

  /** The configured propagators as one; use with header carriers or {@code McpMetaCarrier}. */
  public TextMapPropagator propagator() {
    return propagator;
  }

  /** Opt-in payload capture; a no-op unless {@code OTEL_CAPTURE_PAYLOADS=true}. */
  public PayloadCapture payloads() {
    return payloadCapture;
  }

  /** The Prometheus text exposition for {@code /metrics}, when the {@code prometheus} metrics exporter is on. */
  public Optional<MetricsScrape> metricsScrape() {
    return Optional.ofNullable(metricsScrape);
  }

  // ------------------------------------------------------------------------------------------------ helpers

  /** Starts an INTERNAL child span of the current context and makes it current until closed. */
  public SpanScope span(String name, Attributes attributes) {
    return runner.open(name, SpanKind.INTERNAL, attributes);
  }

  /** Starts a child span of the given kind and makes it current until closed. */
  public SpanScope span(String name, SpanKind kind, Attributes attributes) {
    return runner.open(name, kind, attributes);
  }

  /** Adds an event to the current span; nothing when there is none. */
  public void addEvent(String name, Attributes attributes) {
    Span.current().addEvent(name, attributes);
  }

  /** Sets an attribute on the current span. */
  public <T> void setAttribute(AttributeKey<T> key, T value) {
    Span.current().setAttribute(key, value);
  }

  /** Sets a string attribute on the current span. */
  public void setAttribute(String key, String value) {
    Span.current().setAttribute(key, value);
  }

  /** Sets several attributes on the current span. */
  public void setAttributes(Attributes attributes) {
    Span.current().setAllAttributes(attributes);
  }

  /** Records an exception on the current span and marks it failed. */
  public void recordException(Throwable error) {
    Spans.fail(Span.current(), error);
  }

  /**
   * Runs {@code work} in a new INTERNAL span. A thrown exception is recorded, the
   * span marked ERROR, and the exception rethrown unchanged.
   */
  public <T> T trace(String name, Attributes attributes, Supplier<T> work) {
    return runner.trace(name, attributes, work);
  }

  /** As {@link #trace} for work that throws checked exceptions. */
  public <T> T traceCallable(String name, Attributes attributes, Callable<T> work) throws Exception {
    return runner.call(name, attributes, work);
  }

  /**
   * Runs {@code work} in a new INTERNAL span that ends when the returned stage completes.
   * The span is current while {@code work} runs, so work started there is its child. A failed stage is recorded and
   * marked ERROR; the returned future completes after the span ended, with the same value or exception. For a
   * Reactor {@code Mono}, use {@code Mono.fromFuture(() -> traceAsync(name, attrs, () -> mono.toFuture()))}.
   */
  public <T> CompletableFuture<T> traceAsync(String name, Attributes attributes,
      Supplier<? extends CompletionStage<T>> work) {
    return runner.traceAsync(name, attributes, work);
  }

  // ------------------------------------------------------------------------------------------------ lifecycle

  /**
   * Exports what is buffered now, waiting at most {@code timeout}. Returns whether everything was exported (true
   * when disabled or already shut down: nothing is buffered then).
   */
  public boolean forceFlush(Duration timeout) {
    if (sdk == null || shutDown.get()) {
      return true;
    }
    try {
      CompletableResultCode traces = sdk.getSdkTracerProvider().forceFlush();
      CompletableResultCode metrics = sdk.getSdkMeterProvider().forceFlush();
      CompletableResultCode logs = sdk.getSdkLoggerProvider().forceFlush();
      return CompletableResultCode.ofAll(List.of(traces, metrics, logs))
          .join(timeout.toMillis(), TimeUnit.MILLISECONDS).isSuccess();
    } catch (RuntimeException e) {
      LOG.warn("Flushing telemetry failed: {}", e.toString());
      return false;
    }
  }

  /** Flushes and stops everything, waiting at most {@code timeout}. Safe to call more than once. */
  public void shutdown(Duration timeout) {
    if (sdk == null || !shutDown.compareAndSet(false, true)) {
      return;
    }
    for (AutoCloseable c : closeables) {
      try {
        c.close();
      } catch (Exception e) {
        LOG.warn("Closing {} failed: {}", c.getClass().getSimpleName(), e.toString());
      }
    }
    try {
      CompletableResultCode result = sdk.shutdown().join(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!result.isDone()) {
        LOG.warn("Telemetry shutdown did not finish within {}; unsent spans may be lost", timeout);
      }
    } catch (RuntimeException e) {
      LOG.warn("Telemetry shutdown failed: {}", e.toString());
    }
  }

  /** {@link #shutdown(Duration)} with a 10 second bound. */
  public void shutdown() {
    shutdown(DEFAULT_SHUTDOWN_WAIT);
  }

  @Override
  public void close() {
    shutdown();
  }

  /** Builds an {@link Observability}; extra exporters and the resilient-export decorator plug in here. */
  public static final class Builder {
    private final ObservabilityConfig config;
    private final List<NamedSpanExporter> extraExporters = new ArrayList<>();
    private SpanExporterDecorator decorator = SpanExporterDecorator.identity();
    private Clock clock = Clock.getDefault();
    private boolean registerGlobal;
    private ResilienceConfig resilience;

    private Builder(ObservabilityConfig config) {
      this.config = Objects.requireNonNull(config, "config");
    }

    /** Also sends every (masked) span to {@code exporter}, e.g. an embedded trace store or a test exporter. */
    public Builder addSpanExporter(String name, SpanExporter exporter) {
      extraExporters.add(new NamedSpanExporter(name, exporter));
      return this;
    }

    /** Wraps each configured exporter, e.g. in resilient export. */
    public Builder exporterDecorator(SpanExporterDecorator exporterDecorator) {
      this.decorator = Objects.requireNonNull(exporterDecorator, "exporterDecorator");
      return this;
    }

    /**
     * Wraps each configured exporter in resilient export (circuit breaker, bounded on-disk buffer, ordered replay),
     * buffering under {@code config.bufferDir()/<exporter name>}; its counts are reported through this module's
     * meter provider. Applied outside {@link #exporterDecorator}, so it sees what that decorator makes.
     */
    public Builder resilientExport(ResilienceConfig config) {
      this.resilience = Objects.requireNonNull(config, "config");
      return this;
    }

    /** The clock of time-based samplers (tests). */
    public Builder clock(Clock samplerClock) {
      this.clock = Objects.requireNonNull(samplerClock, "clock");
      return this;
    }

    /**
     * Also installs the result as {@link GlobalOpenTelemetry}, for instrumentation libraries that look there (JDBC,
     * logging appenders). Once per JVM; a second registration fails, as the API specifies.
     */
    public Builder registerGlobal(boolean register) {
      this.registerGlobal = register;
      return this;
    }

    public Observability build() {
      Observability built;
      if (config.enabled()) {
        built = new Observability(config,
            SdkPipeline.build(config, decorator, resilience, extraExporters, clock));
      } else {
        LOG.info("Observability is disabled (OTEL_ENABLE_OBSERVABILITY=false or OTEL_SDK_DISABLED=true):"
            + " no spans, metrics or log records, no context propagation");
        built = config.equals(NOOP.config) ? NOOP : new Observability(config, null);
      }
      if (registerGlobal) {
        GlobalOpenTelemetry.set(built.openTelemetry());
      }
      return built;
    }
  }
}
