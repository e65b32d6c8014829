package dev.mcpgw.observability.internal.export;

import dev.mcpgw.observability.config.ExporterConfig.Otlp;
import dev.mcpgw.observability.config.ExporterConfig.Type;
import dev.mcpgw.observability.config.ExporterConfig;
import dev.mcpgw.observability.export.SpanExporterDecorator;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.exporter.logging.LoggingSpanExporter;
import io.opentelemetry.exporter.zipkin.ZipkinSpanExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds span exporters by name from {@link ExporterConfig}. Each exporter is wrapped by the decorator (resilient
 * export) and then guarded so it never throws. An exporter that cannot be built is logged once, naming the reason
 * but never a header value, and skipped: the process starts without it.
 */
public final class ExporterRegistry {

  private static final Logger LOG = LoggerFactory.getLogger(ExporterRegistry.class);

  private ExporterRegistry() {}

  /** All configured exporters as one (possibly empty, then no-op) composite, undecorated. */
  static SpanExporter create(ExporterConfig config) {
    return SpanExporter.composite(createAll(config, SpanExporterDecorator.identity()).stream()
        .map(NamedSpanExporter::exporter).toList());
  }

  /** Each configured exporter, decorated and guarded, in configuration order; those that failed to start omitted. */
  static List<NamedSpanExporter> createAll(ExporterConfig config, SpanExporterDecorator decorator) {
    return createAll(config, decorator, MeterProvider::noop);
  }

  /**
   * As {@link #createAll(ExporterConfig, SpanExporterDecorator)}, with the exporters' own metrics (spans exported
   * and failed, per exporter) recorded through {@code meterProvider}, resolved lazily.
   */
  public static List<NamedSpanExporter> createAll(ExporterConfig config, SpanExporterDecorator decorator,
      Supplier<MeterProvider> meterProvider) {
    List<NamedSpanExporter> out = new ArrayList<>();
    for (Type type : config.types()) {
      SpanExporter raw;
      try {
        raw = build(type, config, meterProvider, !decorator.replaysFailedExports());
      } catch (RuntimeException | LinkageError e) {
        LOG.error("Span exporter '{}' could not start and is skipped; the gateway runs without it: {}",
            type.configName(), describe(e));
        continue;
      }
      SpanExporter decorated;
      try {
        decorated = decorator.decorate(type.configName(), raw);
      } catch (RuntimeException e) {
        LOG.error("Span exporter '{}' could not be wrapped for resilient export; using it unwrapped: {}",
            type.configName(), describe(e));
        decorated = raw;
      }
      out.add(new NamedSpanExporter(type.configName(), new GuardedSpanExporter(type.configName(), decorated)));
    }
    return List.copyOf(out);
  }

  /** Builds one exporter of the given type, unguarded, with the SDK's retries; throws when it cannot start. */
  public static SpanExporter build(Type type, ExporterConfig config) {
    return build(type, config, MeterProvider::noop, true);
  }

  /**
   * Builds one exporter of the given type, unguarded; {@code sdkRetries} false for an exporter whose failed batches
   * another layer keeps and sends again (see {@link SpanExporterDecorator#replaysFailedExports()}). Throws when it
   * cannot start.
   */
  public static SpanExporter build(Type type, ExporterConfig config, boolean sdkRetries) {
    return build(type, config, MeterProvider::noop, sdkRetries);
  }

  /** Builds one exporter of the given type, unguarded, reporting its own metrics; throws when it cannot start. */
  @SuppressWarnings("deprecation") // ZipkinSpanExporter is deprecated upstream (Zipkin now takes OTLP), still needed
  static SpanExporter build(Type type, ExporterConfig config, Supplier<MeterProvider> meterProvider,
      boolean sdkRetries) {
    return switch (type) {
      case OTLP -> OtlpSpanExporters.create(config.otlp(), config.otlp().headers(), meterProvider, sdkRetries);
      case JAEGER -> jaeger(config, meterProvider, sdkRetries);
      case ZIPKIN -> ZipkinSpanExporter.builder()
          .setEndpoint(config.zipkinEndpoint())
          .setReadTimeout(config.otlp().timeout())
          // the one compression setting, default none: the Zipkin exporter's own default gzip took half the batch
          // processor's thread (docs/performance.md, "Zipkin export")
          .setCompression(config.otlp().compression())
          .setMeterProvider(new LazyMeterProvider(meterProvider))
          .setInternalTelemetryVersion(SelfTelemetry.VERSION)
          .build();
      case CONSOLE -> LoggingSpanExporter.create();
      case OTLP_JSON -> OtlpJsonSpanExporter.toStream(System.out);
      case LOGGING_OTLP -> OtlpJsonSpanExporter.toLogger(
          java.util.logging.Logger.getLogger(OtlpJsonSpanExporter.class.getName()));
    };
  }

  private static SpanExporter jaeger(ExporterConfig config, Supplier<MeterProvider> meterProvider,
      boolean sdkRetries) {
    JaegerEndpoint endpoint = JaegerEndpoint.resolve(config.jaegerEndpoint());
    if (endpoint.legacy()) {
      LOG.warn("OTEL_EXPORTER_JAEGER_ENDPOINT={} is Jaeger's legacy Thrift/UDP collector, which current Jaeger no"
          + " longer needs and mcpgw does not speak; sending OTLP to Jaeger's native OTLP receiver at {} instead."
          + " Set OTEL_EXPORTER_JAEGER_ENDPOINT to http://<host>:4317 (gRPC) or http://<host>:4318 (HTTP) to"
          + " silence this warning.", config.jaegerEndpoint(), endpoint.url());
    }
    Otlp shared = config.otlp();
    // Timeout and compression are shared with OTLP; headers are not, they may be another backend's credentials.
    Otlp jaeger = new Otlp(endpoint.url(), true, endpoint.protocol(), Map.of(), false, "", "", "",
        shared.timeout(), shared.compression());
    return OtlpSpanExporters.create(jaeger, Map.of(), meterProvider, sdkRetries);
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    if (e.getCause() != null && e.getCause().getMessage() != null) {
      message = message + " (" + e.getCause().getMessage() + ")";
    }
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
