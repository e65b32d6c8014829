package dev.mcpgw.observability.export.resilient;

import static dev.mcpgw.observability.testing.TestSpans.batch;
import static dev.mcpgw.observability.testing.TestSpans.seqs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import dev.mcpgw.observability.export.resilient.CircuitBreaker.State;
import dev.mcpgw.observability.export.resilient.ExportStats.DropReason;
import dev.mcpgw.observability.testing.FlakySpanExporter;
import dev.mcpgw.observability.testing.LogCapture;
import dev.mcpgw.observability.testing.ThrowingSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResilientSpanExporterTest {

  @TempDir
  Path dir;

  private final FlakySpanExporter backend = new FlakySpanExporter();
  private final List<ResilientSpanExporter> built = new ArrayList<>();

  @AfterEach
  void shutDown() {
    built.forEach(e -> e.shutdown().join(10, TimeUnit.SECONDS));
  }

  private ResilienceConfig.Builder fast() {
    return ResilienceConfig.builder(dir)
        .failureThreshold(2)
        .openDuration(Duration.ofMillis(200))
        .replayInterval(Duration.ofMillis(20))
        .fileAge(Duration.ofMillis(100))
        .summaryInterval(Duration.ofHours(1));
  }

  private ResilientSpanExporter exporter(ResilienceConfig config) {
    ResilientSpanExporter e = ResilientSpanExporter.builder(backend, config).name("test").build();
    built.add(e);
    return e;
  }

  @Test
  void passesBatchesStraightThroughWhileTheBackendIsHealthy() {
    ResilientSpanExporter exporter = exporter(fast().build());
    CompletableResultCode result = exporter.export(batch(0, 10));
    assertThat(result.join(5, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(seqs(backend.spans())).containsExactlyElementsOf(range(0, 10));
    assertThat(exporter.stats().exported.get()).isEqualTo(10);
    assertThat(exporter.stats().buffered.get()).isZero();
  }

  @Test
  void buffersFailedBatchesOnDiskAndReplaysThemInOrderExactlyOnceWhenTheBackendReturns() {
    ResilientSpanExporter exporter = exporter(fast().build());
    backend.fail();
    for (int i = 0; i < 5; i++) {
      assertThat(exporter.export(batch(i * 10L, 10)).join(5, TimeUnit.SECONDS).isSuccess())
          .as("a buffered batch is safe, so the batch processor sees success").isTrue();
    }
    assertThat(exporter.stats().buffered.get()).isEqualTo(50);
    assertThat(exporter.breakerState()).isEqualTo(State.OPEN);

    backend.accept();
    await().atMost(Duration.ofSeconds(10)).until(() -> exporter.stats().replayed.get() == 50);
    assertThat(seqs(backend.spans())).containsExactlyElementsOf(range(0, 50));
    assertThat(exporter.breakerState()).isEqualTo(State.CLOSED);
    assertThat(exporter.spansInMemory()).isZero();
  }

  @Test
  void aReplayedBatchStillWithTheBackendPastTheWaitIsNotSentAgainBeforeItAnswers() {
    ResilientSpanExporter exporter = exporter(fast().exportTimeout(Duration.ofMillis(50)).build());
    backend.fail();
    for (int i = 0; i < 3; i++) {
      exporter.export(batch(i * 10L, 10));
    }
    int callsWhileFailing = backend.calls();
    backend.hold();
    // the replayer sends the oldest batch, gives up waiting after 50 ms, and comes back every 20 ms
    await().atMost(Duration.ofSeconds(10)).until(() -> backend.held() == 1);
    await("one send while its answer is outstanding").during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
        .until(() -> backend.calls() - callsWhileFailing == 1);
    assertThat(exporter.stats().replayed.get()).isZero();

    backend.release();
    await().atMost(Duration.ofSeconds(10)).until(() -> exporter.stats().replayed.get() == 30);
    assertThat(seqs(backend.spans())).as("each span once, in order").containsExactlyElementsOf(range(0, 30));
  }

  @Test
  void openBreakerKeepsBatchesAwayFromTheBackend() {
    ResilientSpanExporter exporter = exporter(fast().openDuration(Duration.ofHours(1)).build());
    backend.fail();
    exporter.export(batch(0, 1));
    exporter.export(batch(1, 1));
    int callsWhenOpened = backend.calls();
    for (int i = 2; i < 20; i++) {
      assertThat(exporter.export(batch(i, 1)).isSuccess()).isTrue();
    }
    assertThat(backend.calls()).isEqualTo(callsWhenOpened);
    assertThat(exporter.stats().buffered.get()).isEqualTo(20);
  }

  @Test
  void aThrowingBackendNeverReachesTheCaller() {
    ResilientSpanExporter exporter = exporter(fast().build());
    backend.throwing();
    assertThatCode(() -> {
      for (int i = 0; i < 5; i++) {
        assertThat(exporter.export(batch(i, 1)).join(5, TimeUnit.SECONDS).isSuccess()).isTrue();
      }
      exporter.flush();
    }).doesNotThrowAnyException();
    assertThat(exporter.stats().buffered.get()).isEqualTo(5);
    ResilientSpanExporter wrapsThrower = exporter(fast().bufferDir(dir.resolve("other")).build());
    ResilientSpanExporter throwingDelegate = ResilientSpanExporter.builder(new ThrowingSpanExporter(),
        fast().bufferDir(dir.resolve("third")).build()).build();
    built.add(throwingDelegate);
    assertThatCode(() -> {
      throwingDelegate.export(batch(0, 3));
      throwingDelegate.flush();
      throwingDelegate.shutdown().join(10, TimeUnit.SECONDS);
    }).doesNotThrowAnyException();
    assertThat(wrapsThrower.stats().droppedTotal()).isZero();
  }

  @Test
  void dropsTheNewestBatchWhenTheDiskBudgetIsSpentAndCountsEverySpan() {
    ResilientSpanExporter exporter = exporter(fast().maxDiskBytes(64 * 1024).openDuration(Duration.ofHours(1))
        .build());
    backend.fail();
    long sent = 0;
    // 64 KiB hold a few hundred small spans; keep going until the buffer refuses.
    for (int i = 0; i < 200 && exporter.stats().dropped(DropReason.BUFFER_FULL) == 0; i++) {
      exporter.export(batch(sent, 20));
      sent += 20;
    }
    ExportStats stats = exporter.stats();
    assertThat(stats.dropped(DropReason.BUFFER_FULL)).isEqualTo(20);
    assertThat(stats.buffered.get() + stats.droppedTotal()).isEqualTo(sent);
    assertThat(directorySize(dir)).isLessThanOrEqualTo(64 * 1024);

    long firstDropped = sent - 20;
    backend.accept();
    exporter.shutdown().join(10, TimeUnit.SECONDS);
    // Oldest kept: what arrives is the contiguous start of the outage, never the refused newest batch.
    assertThat(seqs(backend.spans())).doesNotContainAnyElementsOf(range(firstDropped, firstDropped + 20));
  }

  @Test
  void reportsCountsAsObservableCountersThroughTheInjectedMeter() {
    InMemoryMetricReader reader = InMemoryMetricReader.create();
    try (SdkMeterProvider meters = SdkMeterProvider.builder().registerMetricReader(reader).build()) {
      ResilientSpanExporter exporter = ResilientSpanExporter.builder(backend, fast().build()).name("otlp")
          .meter(meters.get("test")).build();
      built.add(exporter);
      exporter.export(batch(0, 4));
      backend.fail();
      exporter.export(batch(4, 3));
      backend.accept();
      await().atMost(Duration.ofSeconds(10)).until(() -> exporter.stats().replayed.get() == 3);

      List<MetricData> metrics = new ArrayList<>(reader.collectAllMetrics());
      assertThat(value(metrics, "mcpgw.export.spans.exported")).isEqualTo(4);
      assertThat(value(metrics, "mcpgw.export.spans.buffered")).isEqualTo(3);
      assertThat(value(metrics, "mcpgw.export.spans.replayed")).isEqualTo(3);
      assertThat(metrics).anySatisfy(m -> {
        assertThat(m.getName()).isEqualTo("mcpgw.export.spans.dropped");
        assertThat(m.getLongSumData().getPoints()).extracting(p -> p.getAttributes().get(ExportStats.REASON))
            .contains("buffer_full", "write_error", "rejected", "shutdown");
      });
      assertThat(metrics).extracting(MetricData::getName)
          .contains("mcpgw.export.buffer.usage", "mcpgw.export.circuit.state");
    }
  }

  @Test
  void logsOneSummaryLinePerIntervalOnlyWhenSomethingWasBufferedOrDropped() {
    ResilientSpanExporter exporter = exporter(fast().openDuration(Duration.ofHours(1)).build());
    try (LogCapture log = LogCapture.of(ResilientSpanExporter.class)) {
      exporter.export(batch(0, 5));
      assertThat(exporter.summaryLog().emit()).isNull();
      backend.fail();
      for (int i = 0; i < 100; i++) {
        exporter.export(batch(5 + i, 1));
      }
      String line = exporter.summaryLog().emit();
      assertThat(exporter.summaryLog().emit()).as("nothing new since").isNull();
      assertThat(log.lines(Level.WARN)).containsExactly(line);
      assertThat(line).contains("'test'").contains("buffered 100 spans").contains("dropped 0")
          .contains("circuit open").contains("opened 1 times").contains("ConnectException")
          .doesNotContain("backend down");
    }
  }

  @Test
  void shutdownReplaysWhatItCanAndLeavesTheRestOnDiskForTheNextProcess() {
    ResilienceConfig config = fast().openDuration(Duration.ofHours(1)).fileAge(Duration.ofMillis(300)).build();
    ResilientSpanExporter first = exporter(config);
    backend.fail();
    first.export(batch(0, 10));
    first.export(batch(10, 10));
    assertThat(first.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(first.export(batch(20, 1)).isSuccess()).isFalse();
    assertThat(first.stats().dropped(DropReason.SHUTDOWN)).isEqualTo(1);
    assertThat(backend.shutdowns()).isEqualTo(1);

    backend.accept();
    ResilientSpanExporter second = exporter(config);
    await().atMost(Duration.ofSeconds(10)).until(() -> second.stats().replayed.get() == 20);
    assertThat(seqs(backend.spans())).containsExactlyElementsOf(range(0, 20));
  }

  @Test
  void runsWithoutABufferWhenTheDirectoryIsUnusableCountingDrops() throws IOException {
    Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
    try (LogCapture log = LogCapture.of(ResilientSpanExporter.class)) {
      ResilientSpanExporter exporter = exporter(fast().bufferDir(file).build());
      assertThat(log.lines(Level.ERROR)).singleElement().asString().contains("'test' has no disk buffer");
      backend.fail();
      assertThat(exporter.export(batch(0, 7)).join(5, TimeUnit.SECONDS).isSuccess()).isFalse();
      assertThat(exporter.stats().dropped(DropReason.WRITE_ERROR)).isEqualTo(7);
    }
  }

  private static long value(List<MetricData> metrics, String name) {
    return metrics.stream().filter(m -> m.getName().equals(name)).findFirst().orElseThrow()
        .getLongSumData().getPoints().stream()
        .filter(p -> "otlp".equals(p.getAttributes().get(ExportStats.EXPORTER)))
        .mapToLong(LongPointData::getValue).sum();
  }

  private static List<Long> range(long from, long to) {
    return LongStream.range(from, to).boxed().toList();
  }

  static long directorySize(Path dir) {
    try (var files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

}
