package dev.mcpgw.observability.export.resilient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.mcpgw.observability.config.ExporterConfig;
import dev.mcpgw.observability.config.ExporterConfig.Otlp;
import dev.mcpgw.observability.internal.export.ExporterRegistry;
import dev.mcpgw.observability.testing.OtlpReceiver;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import dev.mcpgw.observability.Observability;
import dev.mcpgw.observability.config.ObservabilityConfigLoader;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outage scenario: steady span load through BatchSpanProcessor, ResilientSpanExporter and the registry's OTLP
 * HTTP exporter to a real receiver, which goes away for about ten seconds and comes back on the same port. Every
 * span arrives exactly once, replayed ones in the order they were buffered; memory stays bounded; no caller sees an
 * exception.
 */
class OutageEndToEndTest {

  private static final AttributeKey<Long> SEQ = AttributeKey.longKey("seq");
  /** 5 spans every 10 ms: about 500 spans per second. */
  private static final int SPANS_PER_TICK = 5;
  private static final int BATCH = 256;

  @TempDir
  Path bufferDir;

  @Test
  void everySpanMadeDuringAnOutageArrivesExactlyOnceInOrderWithBoundedMemoryAndNoCallerException() {
    OtlpReceiver receiver = OtlpReceiver.plain();
    Otlp otlp = Otlp.defaults().withEndpoint(receiver.endpoint(), Otlp.HTTP_PROTOBUF).withTimeout(Duration.ofSeconds(5));
    ResilientSpanExporter exporter = ResilientSpanExporter.builder(
            // as the gateway builds it under the resilient export: without the SDK's own retries
            ExporterRegistry.build(ExporterConfig.Type.OTLP, ExporterConfig.of(ExporterConfig.Type.OTLP).withOtlp(otlp),
                false),
            ResilienceConfig.builder(bufferDir).failureThreshold(2).openDuration(Duration.ofSeconds(1))
                .fileAge(Duration.ofSeconds(1)).replayInterval(Duration.ofMillis(100)).build())
        .name("otlp").build();
    SdkTracerProvider tracing = SdkTracerProvider.builder()
        .addSpanProcessor(BatchSpanProcessor.builder(exporter).setScheduleDelay(Duration.ofMillis(200))
            .setMaxExportBatchSize(BATCH).setMaxQueueSize(8192).setExporterTimeout(Duration.ofSeconds(10)).build())
        .build();
    Tracer tracer = tracing.get("outage-test");

    AtomicLong produced = new AtomicLong();
    AtomicInteger callerExceptions = new AtomicInteger();
    AtomicInteger maxInMemory = new AtomicInteger();
    ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor();
    long heapBefore;
    long heapDuringOutage;
    long outageStart;
    long outageEnd;
    try {
      load.scheduleAtFixedRate(() -> {
        for (int i = 0; i < SPANS_PER_TICK; i++) {
          try {
            tracer.spanBuilder("load").setAttribute(SEQ, produced.get()).startSpan().end();
            produced.incrementAndGet();
          } catch (RuntimeException e) {
            callerExceptions.incrementAndGet();
          }
        }
        maxInMemory.accumulateAndGet(exporter.spansInMemory(), Math::max);
      }, 0, 10, TimeUnit.MILLISECONDS);

      // About 8 s of healthy traffic, then the backend goes away.
      await().atMost(Duration.ofSeconds(60)).until(() -> produced.get() >= 4_000);
      await().atMost(Duration.ofSeconds(30)).until(() -> receiver.spans().size() >= 3_000);
      heapBefore = usedHeapAfterGc();
      receiver.stop();
      outageStart = produced.get();

      // About 10 s of outage.
      long start = outageStart;
      await().atMost(Duration.ofSeconds(60)).until(() -> produced.get() >= start + 5_000);
      assertThat(exporter.stats().buffered.get()).as("batches go to disk during the outage").isPositive();
      assertThat(exporter.stats().failedAttempts.get()).isPositive();
      heapDuringOutage = usedHeapAfterGc();
      outageEnd = produced.get();
      receiver.start();

      // About 12 s more of traffic while the backlog is replayed, then the load stops.
      long end = outageEnd;
      await().atMost(Duration.ofSeconds(60)).until(() -> produced.get() >= end + 6_000);
      load.shutdownNow();
      tracing.forceFlush().join(10, TimeUnit.SECONDS);
      long made = produced.get();
      long buffered = outageStart;
      long back = outageEnd;
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(receiver.spans().size())
          .as(() -> missing(receiver.spans(), made) + " (outage from " + buffered + " to " + back + "; "
              + exporter.stats().buffered.get() + " buffered, " + exporter.stats().replayed.get() + " replayed, "
              + exporter.stats().droppedTotal() + " dropped)")
          .isGreaterThanOrEqualTo((int) made));
    } finally {
      load.shutdownNow();
      tracing.shutdown().join(20, TimeUnit.SECONDS);
      receiver.close();
    }
    long total = produced.get();

    List<Span> spans = receiver.spans();
    List<Long> seqs = spans.stream().map(OutageEndToEndTest::seq).toList();
    Set<ByteString> ids = new HashSet<>();
    spans.forEach(s -> ids.add(s.getSpanId()));
    assertThat(callerExceptions).hasValue(0);
    assertThat(ids).as("each span exactly once").hasSize(spans.size());
    assertThat(new HashSet<>(seqs)).as("every span made arrived").hasSize((int) total);
    assertThat(spans).hasSize((int) total);

    // Spans ended well inside the outage (a second before its end) were all buffered: they arrive in the order they
    // were made. Later ones may be exported live after the backend returned, ahead of the replayed backlog.
    long bufferedFrom = outageStart;
    long bufferedTo = outageEnd - 500;
    assertThat(seqs.stream().filter(s -> s >= bufferedFrom && s < bufferedTo).toList()).isSorted()
        .hasSize((int) (bufferedTo - bufferedFrom));

    ExportStats stats = exporter.stats();
    assertThat(stats.droppedTotal()).isZero();
    assertThat(stats.replayed.get()).isEqualTo(stats.buffered.get()).isPositive();
    assertThat(stats.exported.get() + stats.replayed.get()).isEqualTo(total);
    // The batch processor (8192 spans) and one batch being replayed are all the heap holds.
    assertThat(maxInMemory.get()).isLessThanOrEqualTo(BATCH);
    assertThat(heapDuringOutage - heapBefore).as("heap growth during the outage").isLessThan(32L * 1024 * 1024);
    System.out.printf("outage test: %d spans, %d buffered and replayed, heap before %d KiB, during outage %d KiB%n",
        total, stats.buffered.get(), heapBefore / 1024, heapDuringOutage / 1024);
  }

  @Test
  void grpcUnavailableAnswersAreBufferedAndReplayedOnceTheReceiverRecovers() {
    try (OtlpReceiver receiver = OtlpReceiver.plain()) {
      Otlp otlp = Otlp.defaults().withEndpoint(receiver.endpoint(), Otlp.GRPC).withTimeout(Duration.ofSeconds(5));
      ResilientSpanExporter exporter = ResilientSpanExporter.builder(
              ExporterRegistry.build(ExporterConfig.Type.OTLP, ExporterConfig.of(ExporterConfig.Type.OTLP)
                  .withOtlp(otlp), false),
              ResilienceConfig.builder(bufferDir).failureThreshold(1).openDuration(Duration.ofMillis(500))
                  .fileAge(Duration.ofMillis(300)).replayInterval(Duration.ofMillis(100)).build())
          .name("otlp-grpc").build();
      try {
        receiver.failing(true);
        for (int i = 0; i < 3; i++) {
          assertThat(exporter.export(dev.mcpgw.observability.testing.TestSpans.batch(i * 10L, 10))
              .join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
        }
        assertThat(exporter.stats().buffered.get()).isEqualTo(30);
        assertThat(receiver.received()).isEmpty();

        receiver.failing(false);
        await().atMost(Duration.ofSeconds(30)).until(() -> exporter.stats().replayed.get() == 30);
        assertThat(receiver.spans()).extracting(OutageEndToEndTest::seq)
            .containsExactlyElementsOf(java.util.stream.LongStream.range(0, 30).boxed().toList());
        assertThat(receiver.traceRequests()).allSatisfy(r -> assertThat(r.grpc()).isTrue());
      } finally {
        exporter.shutdown().join(10, TimeUnit.SECONDS);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"grpc", "http/protobuf"})
  void underTheResilientExportAFailedExportIsBufferedAtOnceNotRetriedByTheSdk(String protocol) {
    try (OtlpReceiver receiver = OtlpReceiver.plain()) {
      receiver.failing(true);
      // the facade as the gateway builds it: OTLP export inside the resilient export
      Observability obs = Observability.builder(ObservabilityConfigLoader.load(Map.of(
              "OTEL_TRACES_EXPORTER", "otlp", "OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint(),
              "OTEL_EXPORTER_OTLP_PROTOCOL", protocol, "OTEL_TRACES_SAMPLER", "always_on",
              "OTEL_METRICS_EXPORTER", "none", "OTEL_LOGS_EXPORTER", "none"), null))
          .resilientExport(ResilienceConfig.builder(bufferDir).failureThreshold(100)
              .replayInterval(Duration.ofHours(1)).build())
          .build();
      try {
        obs.tracer().spanBuilder("one").startSpan().end();
        assertThat(obs.forceFlush(Duration.ofSeconds(30))).as("buffered on disk, so safe").isTrue();
        assertThat(receiver.refused()).as("one attempt: the SDK's retry policy (5 attempts) is off").isEqualTo(1);
      } finally {
        obs.close();
      }
    }
  }

  /** Which of the spans 0 to made - 1 have not arrived, as ranges, for a failure message. */
  private static String missing(List<Span> spans, long made) {
    Set<Long> got = new HashSet<>();
    spans.forEach(s -> got.add(seq(s)));
    StringBuilder out = new StringBuilder("missing:");
    long from = -1;
    for (long q = 0; q <= made; q++) {
      boolean absent = q < made && !got.contains(q);
      if (absent && from < 0) {
        from = q;
      } else if (!absent && from >= 0) {
        out.append(' ').append(from).append(from == q - 1 ? "" : "-" + (q - 1));
        from = -1;
      }
    }
    return out.toString();
  }

  private static long seq(Span span) {
    return span.getAttributesList().stream().filter(kv -> kv.getKey().equals("seq")).findFirst()
        .map(KeyValue::getValue).orElseThrow().getIntValue();
  }

  private static long usedHeapAfterGc() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
