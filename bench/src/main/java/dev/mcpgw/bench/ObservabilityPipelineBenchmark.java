package dev.mcpgw.bench;

import dev.mcpgw.observability.Observability;
import dev.mcpgw.observability.SpanScope;
import dev.mcpgw.observability.config.ObservabilityConfigLoader;
import dev.mcpgw.observability.export.resilient.ResilienceConfig;
import dev.mcpgw.observability.export.resilient.ResilientSpanExporter;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * One span with ten repeated attributes and a fresh request id through the observability pipeline the gateway
 * builds (facade from OTEL_* configuration: parent-based always-on sampler, privacy sanitiser, batch span processor,
 * resilient export around a no-op exporter), against the disabled path (the facade's no-op and OpenTelemetry's no-op
 * tracer).
 *
 * <ul>
 *   <li>{@code enabledSpanThroughWholePipeline}: 512 spans made, then {@code forceFlush}, which returns once the
 *       batch processor's thread has run them through sanitiser, resilient export and exporter: the cost per span
 *       of all the work, not only the caller's share.</li>
 *   <li>{@code enabledSpanThroughWholePipelineWithoutSanitiser}: the same with {@code OTEL_SANITIZE_PII=false}.</li>
 *   <li>{@code enabledSpanExportedOverOtlp}: the same through the OTLP/HTTP exporter the gateway configures from
 *       {@code OTEL_*} (its encoder and sender), posting to a receiver in this JVM on the loopback address that
 *       reads each request and answers 200; its difference to {@code enabledSpanThroughWholePipeline} is what
 *       OTLP export costs per span.</li>
 *   <li>{@code enabledSpanCallerSide}: what the thread that ends a span pays (sampling, span, enqueue); it makes
 *       spans faster than one exporter thread drains them, so the batch processor drops (counted) most.</li>
 *   <li>{@code disabled*}: the no-op paths; the goal is 0 B/op.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class ObservabilityPipelineBenchmark {

  private static final int SPANS_PER_FLUSH = 512;
  private static final AttributeKey<String> METHOD = AttributeKey.stringKey("mcp.method.name");
  private static final AttributeKey<String> TOOL = AttributeKey.stringKey("gen_ai.tool.name");
  private static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("jsonrpc.request.id");
  private static final AttributeKey<String> SESSION = AttributeKey.stringKey("mcp.session.id");
  private static final AttributeKey<String> PROTOCOL = AttributeKey.stringKey("mcp.protocol.version");
  private static final AttributeKey<String> TOOL_ID = AttributeKey.stringKey("tool.id");
  private static final AttributeKey<String> TENANT = AttributeKey.stringKey("tenant.id");
  private static final AttributeKey<String> UPSTREAM = AttributeKey.stringKey("mcpgw.upstream");
  private static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("mcpgw.attempt");
  private static final AttributeKey<Boolean> CACHED = AttributeKey.booleanKey("mcpgw.cached");
  private static final AttributeKey<String> GATEWAY_REQUEST_ID = AttributeKey.stringKey("request.id");
  private static final Attributes TEN = Attributes.builder()
      .put(METHOD, "tools/call")
      .put(TOOL, "echo")
      .put(REQUEST_ID, "42")
      .put(SESSION, "5f0c2a9e-3b7d-4c1e-9a55-1d2f3e4a5b6c")
      .put(PROTOCOL, "2025-06-18")
      .put(TOOL_ID, "t-7")
      .put(TENANT, "acme")
      .put(UPSTREAM, "everything")
      .put(ATTEMPT, 1L)
      .put(CACHED, false)
      .build();

  private Observability enabled;
  private Tracer enabledTracer;
  private Observability unsanitised;
  private Tracer unsanitisedTracer;
  private Observability otlp;
  private Tracer otlpTracer;
  private HttpServer receiver;
  private final LongAdder receivedBytes = new LongAdder();
  /** Spans flushed through the OTLP pipeline (its receiver counts bytes, not spans). */
  private final LongAdder otlpSpans = new LongAdder();
  private long otlpSpansAtStart;
  private Observability disabled;
  private Tracer disabledTracer;
  private CountingExporter sink;
  private Path bufferDir;
  private long cpuAtStart;
  private long spansAtStart;
  private long requestCounter;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    bufferDir = Files.createTempDirectory("mcpgw-bench-buffer");
    sink = new CountingExporter();
    SpanExporter resilient = ResilientSpanExporter.builder(sink, ResilienceConfig.create(bufferDir)).name("noop")
        .build();
    enabled = pipeline(resilient, "true");
    enabledTracer = enabled.tracer();
    unsanitised = pipeline(ResilientSpanExporter.builder(sink, ResilienceConfig.create(bufferDir.resolve("u")))
        .name("noop").build(), "false");
    unsanitisedTracer = unsanitised.tracer();
    receiver = otlpReceiver(receivedBytes);
    otlp = Observability.builder(ObservabilityConfigLoader.load(Map.of(
            "OTEL_SERVICE_NAME", "bench",
            "OTEL_TRACES_EXPORTER", "otlp",
            "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
            "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + receiver.getAddress().getPort(),
            "OTEL_METRICS_EXPORTER", "none",
            "OTEL_LOGS_EXPORTER", "none"), null))
        .build();
    otlpTracer = otlp.tracer();
    disabled = Observability.builder(ObservabilityConfigLoader.load(Map.of("OTEL_ENABLE_OBSERVABILITY", "false"),
        null)).build();
    disabledTracer = disabled.tracer();
  }

  /**
   * Process CPU time per span that reached the exporter, per measurement iteration: on a shared machine wall time
   * per operation includes time the threads waited for a core, CPU time does not. Counts every thread (caller,
   * batch processor, GC, JIT), so it is an upper bound of the pipeline's own cost.
   */
  @Setup(Level.Iteration)
  public void startCpu() {
    cpuAtStart = processCpuNanos();
    spansAtStart = sink.spans.sum();
    otlpSpansAtStart = otlpSpans.sum();
  }

  @TearDown(Level.Iteration)
  public void reportCpu(IterationParams iteration, BenchmarkParams benchmark) {
    long spans = benchmark.getBenchmark().endsWith("Otlp") ? otlpSpans.sum() - otlpSpansAtStart
        : sink.spans.sum() - spansAtStart;
    if (iteration.getType() == IterationType.MEASUREMENT && spans > 0) {
      System.out.printf("%n%s: process CPU %.0f ns per exported span (%d spans)%n", benchmark.getBenchmark(),
          (processCpuNanos() - cpuAtStart) / (double) spans, spans);
    }
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static Observability pipeline(SpanExporter exporter, String sanitise) {
    return Observability.builder(ObservabilityConfigLoader.load(Map.of(
            "OTEL_SERVICE_NAME", "bench",
            "OTEL_SANITIZE_PII", sanitise,
            "OTEL_TRACES_EXPORTER", "none",
            "OTEL_METRICS_EXPORTER", "none",
            "OTEL_LOGS_EXPORTER", "none"), null))
        .addSpanExporter("noop", exporter)
        .build();
  }

  /** An OTLP/HTTP receiver on the loopback address: reads each request whole and answers 200 with no body. */
  private static HttpServer otlpReceiver(LongAdder bytes) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/", exchange -> {
      try (InputStream body = exchange.getRequestBody()) {
        bytes.add(body.transferTo(OutputStream.nullOutputStream()));
      }
      exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    server.start();
    return server;
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    enabled.shutdown(Duration.ofSeconds(10));
    unsanitised.shutdown(Duration.ofSeconds(10));
    otlp.shutdown(Duration.ofSeconds(10));
    receiver.stop(0);
    System.out.println("\nOTLP bytes received: " + receivedBytes.sum());
    disabled.shutdown();
    try (var files = Files.walk(bufferDir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    System.out.println("\nspans that reached the no-op exporter: " + sink.spans.sum());
  }

  @Benchmark
  @OperationsPerInvocation(SPANS_PER_FLUSH)
  public boolean enabledSpanThroughWholePipeline() {
    return spansThenFlush(enabledTracer, enabled);
  }

  /** As above with OTEL_SANITIZE_PII=false: the sanitiser's share of the cost. */
  @Benchmark
  @OperationsPerInvocation(SPANS_PER_FLUSH)
  public boolean enabledSpanThroughWholePipelineWithoutSanitiser() {
    return spansThenFlush(unsanitisedTracer, unsanitised);
  }

  /** As {@link #enabledSpanThroughWholePipeline}, exported over OTLP/HTTP to a receiver on the loopback address. */
  @Benchmark
  @OperationsPerInvocation(SPANS_PER_FLUSH)
  public boolean enabledSpanExportedOverOtlp() {
    otlpSpans.add(SPANS_PER_FLUSH);
    return spansThenFlush(otlpTracer, otlp);
  }

  /** {@link #SPANS_PER_FLUSH} spans of the eleven attributes, then a flush through the whole pipeline. */
  private boolean spansThenFlush(Tracer tracer, Observability pipeline) {
    for (int i = 0; i < SPANS_PER_FLUSH; i++) {
      tracer.spanBuilder("tools/call echo").setSpanKind(SpanKind.SERVER).setAllAttributes(TEN)
          .setAttribute(GATEWAY_REQUEST_ID, freshRequestId()).startSpan().end();
    }
    return pipeline.forceFlush(Duration.ofSeconds(10));
  }

  /**
   * A value never seen before, as a request id is: the sanitiser cannot have it among the values it already found
   * clean, so the benchmark pays a full scan per span, as the gateway does for its one new value per span.
   */
  private String freshRequestId() {
    return "req-" + Long.toHexString(++requestCounter);
  }

  @Benchmark
  public Span enabledSpanCallerSide() {
    Span span = enabledTracer.spanBuilder("tools/call echo").setSpanKind(SpanKind.SERVER).setAllAttributes(TEN)
        .startSpan();
    span.end();
    return span;
  }

  @Benchmark
  public Span disabledOtelTracer() {
    Span span = disabledTracer.spanBuilder("tools/call echo").setSpanKind(SpanKind.SERVER).setAllAttributes(TEN)
        .startSpan();
    span.end();
    return span;
  }

  /** The same span with the ten attributes set one by one: no lambda for setAllAttributes' default method. */
  @Benchmark
  public Span disabledOtelTracerSetAttribute() {
    Span span = disabledTracer.spanBuilder("tools/call echo").setSpanKind(SpanKind.SERVER)
        .setAttribute(METHOD, "tools/call").setAttribute(TOOL, "echo").setAttribute(REQUEST_ID, "42")
        .setAttribute(SESSION, "5f0c2a9e-3b7d-4c1e-9a55-1d2f3e4a5b6c").setAttribute(PROTOCOL, "2025-06-18")
        .setAttribute(TOOL_ID, "t-7").setAttribute(TENANT, "acme").setAttribute(UPSTREAM, "everything")
        .setAttribute(ATTEMPT, 1L).setAttribute(CACHED, false)
        .startSpan();
    span.end();
    return span;
  }

  @Benchmark
  public SpanScope disabledFacadeSpan() {
    try (SpanScope scope = disabled.span("tools/call echo", TEN)) {
      return scope;
    }
  }

  /** The no-op end of the pipeline; counts what arrives so the JIT cannot drop the export. */
  static final class CountingExporter implements SpanExporter {
    final LongAdder spans = new LongAdder();

    @Override
    public CompletableResultCode export(Collection<SpanData> batch) {
      spans.add(batch.size());
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
