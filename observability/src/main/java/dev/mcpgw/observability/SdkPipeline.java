package dev.mcpgw.observability;

import dev.mcpgw.observability.config.LogsConfig;
import dev.mcpgw.observability.config.MetricsConfig;
import dev.mcpgw.observability.config.ObservabilityConfig;
import dev.mcpgw.observability.config.ObservabilityConfigException;
import dev.mcpgw.observability.config.TracingConfig;
import dev.mcpgw.observability.export.MetricsScrape;
import dev.mcpgw.observability.export.SpanExporterDecorator;
import dev.mcpgw.observability.export.resilient.ResilienceConfig;
import dev.mcpgw.observability.export.resilient.ResilientSpanExporter;
import dev.mcpgw.observability.internal.export.ExporterRegistry;
import dev.mcpgw.observability.internal.export.GuardedSpanExporter;
import dev.mcpgw.observability.internal.export.NamedSpanExporter;
import dev.mcpgw.observability.internal.export.SelfTelemetry;
import dev.mcpgw.observability.internal.privacy.Sanitizer;
import dev.mcpgw.observability.internal.privacy.SanitizingSpanExporter;
import dev.mcpgw.observability.internal.privacy.SpanPayloadCapture;
import dev.mcpgw.observability.internal.propagation.Propagators;
import dev.mcpgw.observability.internal.sampling.Samplers;
import dev.mcpgw.observability.privacy.PayloadCapture;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.exporter.prometheus.PrometheusMetricReader;
import io.opentelemetry.instrumentation.runtimetelemetry.RuntimeTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import io.opentelemetry.sdk.common.Clock;
import io.opentelemetry.sdk.trace.SpanLimits;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.io.Closeable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Assembles the SDK. The SDK's autoconfigure does the standard parts (resource detectors, metric and log exporters
 * and their OTEL_* settings); the span side is ours: sampler, limits, the privacy sanitiser and the exporter chain
 * {@code batch processor -> sanitiser -> [guard(decorator(exporter))...]}.
 */
final class SdkPipeline {

  private static final Logger LOG = LoggerFactory.getLogger(SdkPipeline.class);
  private static final String HTTP_SENDER_PROPERTY = "io.opentelemetry.sdk.common.export.HttpSenderProvider";
  private static final String OWN_HTTP_SENDER =
      "dev.mcpgw.observability.internal.export.sender.BlockingHttpSenderProvider";
  /**
   * Merging the detected resources (schema 1.24 from the resource detectors, 1.40 from the SDK) makes the SDK log
   * an INFO line per merge at every start; it is noise to an operator. Held strongly so the level sticks.
   */
  private static final java.util.logging.Logger RESOURCE_MERGE_LOG =
      java.util.logging.Logger.getLogger("io.opentelemetry.sdk.resources.Resource");

  final OpenTelemetrySdk sdk;
  final TextMapPropagator propagator;
  final MetricsScrape metricsScrape;
  final PayloadCapture payloadCapture;
  final List<AutoCloseable> closeables;

  private SdkPipeline(OpenTelemetrySdk sdk, TextMapPropagator propagator, MetricsScrape metricsScrape,
      PayloadCapture payloadCapture, List<AutoCloseable> closeables) {
    this.sdk = sdk;
    this.propagator = propagator;
    this.metricsScrape = metricsScrape;
    this.payloadCapture = payloadCapture;
    this.closeables = closeables;
  }

  static SdkPipeline build(ObservabilityConfig requested, SpanExporterDecorator decorator,
      ResilienceConfig resilienceOrNull, List<NamedSpanExporter> extraExporters, Clock clock) {
    ObservabilityConfig config = withoutUnstartableOtlpSignals(requested);
    preferOwnHttpSender();
    if (RESOURCE_MERGE_LOG.getLevel() == null) {
      RESOURCE_MERGE_LOG.setLevel(java.util.logging.Level.WARNING);
    }
    TracingConfig tracing = config.tracing();
    List<AutoCloseable> closeables = new ArrayList<>();
    Sanitizer sanitizer = config.privacy().sanitizePii() ? Sanitizer.create(config.privacy()) : null;
    Sampler sampler = tracing.enabled()
        ? Samplers.create(tracing.sampling(), config.resource().serviceName(), clock, (Closeable c) -> closeables.add(c))
        : Sampler.alwaysOff();
    TextMapPropagator propagator = Propagators.create(tracing.propagators());
    // Exporters, resilient export and the batch processor report their own metrics through our meter provider,
    // which exists only once the SDK is built: the exporter chain is bound after the build (see DeferredSpanExporter)
    // and the batch processor gets a supplier that resolves then.
    AtomicReference<MeterProvider> meterProvider = new AtomicReference<>(MeterProvider.noop());
    boolean exportsSpans = tracing.enabled()
        && (!tracing.exporter().types().isEmpty() || !extraExporters.isEmpty());
    DeferredSpanExporter pipelineExporter = exportsSpans ? new DeferredSpanExporter() : null;
    PrometheusMetricReader prometheus = config.metrics().enabled() && config.metrics().exporters().contains("prometheus")
        ? PrometheusMetricReader.create() : null;

    AutoConfiguredOpenTelemetrySdk auto;
    try {
      auto = AutoConfiguredOpenTelemetrySdk.builder()
          .disableShutdownHook()
          .addPropertiesSupplier(() -> properties(config))
          .addPropertiesCustomizer(c -> properties(config))
          .addResourceCustomizer((resource, c) -> resource.merge(ResourceFactory.create(config.resource())))
          .addSamplerCustomizer((s, c) -> sampler)
          .addPropagatorCustomizer((p, c) -> propagator)
          .addTracerProviderCustomizer((builder, c) -> {
            builder.setSpanLimits(spanLimits(tracing));
            builder.setIdGenerator(TimeOrderedIds.INSTANCE);
            if (pipelineExporter != null) {
              builder.addSpanProcessor(BatchSpanProcessor.builder(pipelineExporter)
                  .setScheduleDelay(tracing.batch().scheduleDelay())
                  .setExporterTimeout(tracing.batch().exportTimeout())
                  .setMaxQueueSize(tracing.batch().maxQueueSize())
                  .setMaxExportBatchSize(tracing.batch().maxExportBatchSize())
                  .setMeterProvider(meterProvider::get)
                  .setInternalTelemetryVersion(SelfTelemetry.VERSION)
                  .build());
            } else if (tracing.enabled()) {
              builder.addSpanProcessor(ContextOnlySpanProcessor.INSTANCE);
            }
            return builder;
          })
          .addMeterProviderCustomizer((builder, c) -> prometheus == null ? builder
              : builder.registerMetricReader(prometheus))
          .build();
    } catch (ConfigurationException e) {
      release(closeables);
      throw new ObservabilityConfigException("the OpenTelemetry SDK rejected the configuration: " + e.getMessage(), e);
    } catch (RuntimeException | Error e) {
      release(closeables);
      throw e;
    }
    OpenTelemetrySdk sdk = auto.getOpenTelemetrySdk();
    meterProvider.set(sdk.getSdkMeterProvider());
    if (tracing.enabled()) {
      SpanExporterDecorator exporterDecorator = resilienceOrNull == null ? decorator
          : outside(ResilientSpanExporter.decorator(resilienceOrNull, meterProvider::get), decorator);
      SpanExporter chain = spanExporter(config, exporterDecorator, extraExporters, sanitizer, meterProvider::get);
      if (pipelineExporter != null) {
        pipelineExporter.bind(chain == null ? SpanExporter.composite() : chain);
      }
    }
    if (config.metrics().collectorEnabled("system")) {
      try {
        closeables.add(RuntimeTelemetry.create(sdk));
      } catch (RuntimeException | LinkageError e) {
        LOG.warn("JVM runtime metrics are unavailable: {}", e.toString());
      }
    }
    int captureLimit = tracing.limits().attributeValueLength();
    PayloadCapture capture = config.privacy().capturePayloads() && tracing.enabled()
        ? SpanPayloadCapture.create(sanitizer, captureLimit) : PayloadCapture.disabled();
    return new SdkPipeline(sdk, propagator, prometheus == null ? null : new MetricsScrape(prometheus), capture,
        closeables);
  }

  /**
   * Autoconfigure fails the whole SDK when an OTLP metric or log exporter cannot read its TLS files. Like a span
   * exporter that cannot start, such an exporter is logged once and left out; the gateway starts without it.
   */
  static ObservabilityConfig withoutUnstartableOtlpSignals(ObservabilityConfig config) {
    ObservabilityConfig out = config;
    if (config.metrics().enabled() && config.metrics().exporters().contains("otlp")) {
      String problem = unreadableTlsFile(config.sdkProperties(), "metrics");
      if (problem != null) {
        LOG.error("Metric exporter 'otlp' could not start and is skipped; the gateway runs without it: {}", problem);
        List<String> rest = config.metrics().exporters().stream().filter(e -> !e.equals("otlp")).toList();
        out = out.withMetrics(new MetricsConfig(!rest.isEmpty(), rest, config.metrics().exportInterval(),
            config.metrics().collectors()));
      }
    }
    if (config.logs().enabled() && config.logs().exporters().contains("otlp")) {
      String problem = unreadableTlsFile(config.sdkProperties(), "logs");
      if (problem != null) {
        LOG.error("Log exporter 'otlp' could not start and is skipped; the gateway runs without it: {}", problem);
        List<String> rest = config.logs().exporters().stream().filter(e -> !e.equals("otlp")).toList();
        out = out.withLogs(new LogsConfig(!rest.isEmpty(), rest));
      }
    }
    return out;
  }

  private static String unreadableTlsFile(Map<String, String> properties, String signal) {
    for (String file : List.of("certificate", "client.key", "client.certificate")) {
      String path = properties.getOrDefault("otel.exporter.otlp." + signal + "." + file,
          properties.get("otel.exporter.otlp." + file));
      if (path != null && !Files.isReadable(Path.of(path))) {
        return "cannot read the OTLP " + file.replace('.', ' ') + " file " + path;
      }
    }
    return null;
  }

  /** {@code outer} wrapped around what {@code inner} makes of each exporter. */
  private static SpanExporterDecorator outside(SpanExporterDecorator outer, SpanExporterDecorator inner) {
    return new SpanExporterDecorator() {
      @Override
      public SpanExporter decorate(String name, SpanExporter exporter) {
        return outer.decorate(name, inner.decorate(name, exporter));
      }

      @Override
      public boolean replaysFailedExports() {
        return outer.replaysFailedExports() || inner.replaysFailedExports();
      }
    };
  }

  /** Start-up failed after samplers were built: stop their threads and connections. */
  private static void release(List<AutoCloseable> closeables) {
    for (AutoCloseable c : closeables) {
      try {
        c.close();
      } catch (Exception e) {
        LOG.debug("Closing {} after a failed start failed: {}", c, e.toString());
      }
    }
  }

  private static SpanExporter spanExporter(ObservabilityConfig config, SpanExporterDecorator decorator,
      List<NamedSpanExporter> extraExporters, Sanitizer sanitizer, Supplier<MeterProvider> meterProvider) {
    List<SpanExporter> exporters = new ArrayList<>();
    List<NamedSpanExporter> configured =
        ExporterRegistry.createAll(config.tracing().exporter(), decorator, meterProvider);
    configured.forEach(e -> exporters.add(e.exporter()));
    extraExporters.forEach(e -> exporters.add(new GuardedSpanExporter(e.name(), e.exporter())));
    if (config.tracing().exporter().types().isEmpty() && extraExporters.isEmpty()) {
      LOG.info("Tracing is on but no span exporter is configured, so spans are not exported. To export, set"
          + " OTEL_EXPORTER_OTLP_ENDPOINT (e.g. http://localhost:4317) or OTEL_TRACES_EXPORTER="
          + "otlp|jaeger|zipkin|console|otlp_json, or observability.tracing.exporter in config/observability.yaml.");
    } else if (!configured.isEmpty()) {
      LOG.info("Exporting spans of service '{}' to {}", config.resource().serviceName(), describe(config));
    }
    if (exporters.isEmpty()) {
      return null;
    }
    SpanExporter fanOut = SpanExporter.composite(exporters);
    return sanitizer == null ? fanOut : new SanitizingSpanExporter(sanitizer, fanOut);
  }

  private static String describe(ObservabilityConfig config) {
    var exporter = config.tracing().exporter();
    return exporter.types().stream().map(t -> t.configName() + switch (t) {
      case OTLP -> " (" + exporter.otlp().protocol() + " " + (exporter.otlp().endpoint().isEmpty() ? "default endpoint"
          : exporter.otlp().endpoint()) + ")";
      case JAEGER -> " (" + exporter.jaegerEndpoint() + ")";
      case ZIPKIN -> " (" + exporter.zipkinEndpoint() + ")";
      default -> "";
    }).collect(Collectors.joining(", "));
  }

  private static SpanLimits spanLimits(TracingConfig tracing) {
    var l = tracing.limits();
    return SpanLimits.builder()
        .setMaxAttributeValueLength(l.attributeValueLength())
        .setMaxNumberOfAttributes(l.attributeCount())
        .setMaxNumberOfEvents(l.eventCount())
        .setMaxNumberOfLinks(l.linkCount())
        .setMaxNumberOfAttributesPerEvent(l.eventAttributeCount())
        .setMaxNumberOfAttributesPerLink(l.linkAttributeCount())
        .build();
  }

  /**
   * What autoconfigure sees. Applied both as defaults and as overrides, so stray process environment variables
   * cannot switch on a second span exporter or sampler behind the validated configuration.
   */
  static Map<String, String> properties(ObservabilityConfig config) {
    Map<String, String> p = new HashMap<>(config.sdkProperties());
    p.put("otel.sdk.disabled", "false");
    p.put("otel.traces.exporter", "none");
    p.put("otel.traces.sampler", "always_on");
    p.put("otel.propagators", "tracecontext");
    p.put("otel.service.name", config.resource().serviceName());
    p.put("otel.resource.attributes", "");
    List<String> metricExporters = config.metrics().enabled() ? config.metrics().exporters().stream()
        .filter(e -> !e.equals("prometheus")).toList() : List.of();
    p.put("otel.metrics.exporter", metricExporters.isEmpty() ? "none" : String.join(",", metricExporters));
    p.put("otel.metric.export.interval", Long.toString(config.metrics().exportInterval().toMillis()));
    p.put("otel.logs.exporter", config.logs().enabled() ? String.join(",", config.logs().exporters()) : "none");
    // the log processor and the metric and log exporters autoconfigure builds report otel.sdk.* like the span side
    p.put(SelfTelemetry.PROPERTY, SelfTelemetry.PROPERTY_VALUE);
    return p;
  }

  private static void preferOwnHttpSender() {
    // The SDK's JDK and OkHttp senders are on the class path too (the Jaeger remote sampler needs OkHttp for gRPC);
    // without a preference the SDK warns and picks any. The gateway's own sender (ADR 0036) costs an export about
    // half the CPU of the JDK one; an operator may still name another provider with the same system property.
    if (System.getProperty(HTTP_SENDER_PROPERTY) == null) {
      try {
        Class.forName(OWN_HTTP_SENDER, false, SdkPipeline.class.getClassLoader());
        System.setProperty(HTTP_SENDER_PROPERTY, OWN_HTTP_SENDER);
      } catch (ClassNotFoundException e) {
        // leave the SDK's own choice
      }
    }
  }
}
