package dev.mcpgw.observability.export.resilient;

import dev.mcpgw.observability.export.SpanExporterDecorator;
import dev.mcpgw.observability.export.resilient.ExportStats.DropReason;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.sdk.common.Clock;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link SpanExporter} decorator that survives backend outages.
 *
 * <ul>
 *   <li>A circuit breaker counts consecutive failed exports; once open, batches skip the backend for
 *       {@code open_duration}, then one trial export decides whether it closes again.</li>
 *   <li>A batch that failed, or that arrives while the breaker is open, is written to a bounded on-disk buffer
 *       (contrib disk-buffering) and reported as exported: it is safe. A background thread replays the buffer,
 *       oldest batch first, at most {@code replay_batches_per_round} batches every {@code replay_interval}, only
 *       while the breaker lets exports through; a batch leaves the disk only once the backend took it.</li>
 *   <li>Heap holds no queue: a batch is either with the backend, on disk, or (one at a time) being replayed. When
 *       the buffer is full the newest batch is dropped and counted (see {@link DiskSpanBuffer} for why newest).</li>
 *   <li>Counts are observable counters and one summary line per {@code summary_interval}; never a line per span.</li>
 *   <li>{@link #export} never throws and never waits for the backend: its result completes when the backend
 *       answered (bounded by the wrapped exporter's own timeout) or at once when the batch goes to disk.</li>
 * </ul>
 *
 * Live batches are not held back behind the backlog: replayed batches keep their order among themselves, but a
 * backend sees fresh spans while older ones are still being replayed (holding fresh ones back would delay every
 * span by the buffer's file age for as long as load continues). Backends order spans by their timestamps anyway.
 */
public final class ResilientSpanExporter implements SpanExporter {

  private static final Logger LOG = LoggerFactory.getLogger(ResilientSpanExporter.class);
  /** A replayed batch failing this often while live exports succeed is taken as rejected by the backend. */
  private static final int MAX_REPLAY_ATTEMPTS = 5;

  private final String name;
  private final SpanExporter delegate;
  private final ResilienceConfig config;
  private final CircuitBreaker breaker;
  private final SpanBuffer buffer;
  private final ExportStats stats = new ExportStats();
  private final SummaryLog summary;
  private final Supplier<Meter> meter;
  private final Clock clock;
  private final ScheduledExecutorService worker;
  private final AtomicBoolean instrumentsRegistered = new AtomicBoolean();
  private final AtomicBoolean shutdown = new AtomicBoolean();
  private final CompletableResultCode shutdownResult = new CompletableResultCode();

  /** Replay thread only: the replayed batch's export while its answer is outstanding, and its size. */
  private CompletableResultCode replaying;
  private int replayingSpans;
  /** Replay thread only. */
  private int pendingAttempts;
  private volatile long lastLiveSuccess = Long.MIN_VALUE;
  private long pendingFirstFailure = Long.MIN_VALUE;

  private ResilientSpanExporter(Builder b) {
    this.name = b.name;
    this.delegate = b.delegate;
    this.config = b.config;
    this.clock = b.clock;
    this.meter = b.meter;
    this.breaker = new CircuitBreaker(config.failureThreshold(), config.openDuration().toNanos(), clock);
    this.buffer = openBuffer(config.bufferDir(), config, name);
    this.summary = new SummaryLog(name, config.summaryInterval(), stats, breaker, buffer::bytes);
    this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "mcpgw-export-replay-" + name);
      t.setDaemon(true);
      return t;
    });
    long replayMillis = config.replayInterval().toMillis();
    worker.scheduleWithFixedDelay(guarded(this::replayRound), replayMillis, Math.max(1, replayMillis),
        TimeUnit.MILLISECONDS);
    long summaryMillis = config.summaryInterval().toMillis();
    worker.scheduleAtFixedRate(guarded(summary::emit), summaryMillis, Math.max(1, summaryMillis),
        TimeUnit.MILLISECONDS);
  }

  /** A builder around {@code delegate}; the buffer lives in {@code config.bufferDir()} itself. */
  public static Builder builder(SpanExporter delegate, ResilienceConfig config) {
    return new Builder(delegate, config);
  }

  /**
   * The decorator for {@code ExporterRegistry}: each exporter gets its own buffer in {@code bufferDir/<name>} and
   * reports metrics through the meter provider {@code meterProvider} yields once the SDK is built.
   */
  public static SpanExporterDecorator decorator(ResilienceConfig config, Supplier<MeterProvider> meterProvider) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(meterProvider, "meterProvider");
    return new SpanExporterDecorator() {
      @Override
      public SpanExporter decorate(String exporterName, SpanExporter exporter) {
        return builder(exporter, config.withBufferDir(config.bufferDir().resolve(exporterName)))
            .name(exporterName)
            .meter(() -> meterProvider.get().get("dev.mcpgw.observability.export"))
            .build();
      }

      @Override
      public boolean replaysFailedExports() {
        return true;
      }
    };
  }

  private static SpanBuffer openBuffer(Path dir, ResilienceConfig config, String name) {
    try {
      return DiskSpanBuffer.open(dir, config);
    } catch (IOException | RuntimeException e) {
      LOG.error("Span exporter '{}' has no disk buffer ({}: {}); while its backend is down, spans are dropped and"
          + " counted", name, e.getClass().getSimpleName(), e.getMessage());
      return SpanBuffer.NONE;
    }
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    try {
      registerInstruments();
      if (spans.isEmpty()) {
        return CompletableResultCode.ofSuccess();
      }
      if (shutdown.get()) {
        stats.dropped(DropReason.SHUTDOWN, spans.size());
        return CompletableResultCode.ofFailure();
      }
      if (!breaker.tryAcquire()) {
        return buffer(spans);
      }
      return attempt(spans);
    } catch (RuntimeException | LinkageError e) {
      // Nothing here should throw; if it does, the batch is lost but the caller is not.
      stats.dropped(DropReason.WRITE_ERROR, spans.size());
      LOG.debug("Resilient export failed unexpectedly", e);
      return CompletableResultCode.ofFailure();
    }
  }

  private CompletableResultCode attempt(Collection<SpanData> spans) {
    CompletableResultCode sent = send(spans);
    CompletableResultCode result = new CompletableResultCode();
    sent.whenComplete(() -> {
      try {
        if (sent.isSuccess()) {
          breaker.onSuccess();
          lastLiveSuccess = clock.nanoTime();
          stats.exported.addAndGet(spans.size());
          result.succeed();
        } else {
          failed(sent.getFailureThrowable());
          complete(result, buffer(spans));
        }
      } catch (RuntimeException | LinkageError e) {
        stats.dropped(DropReason.WRITE_ERROR, spans.size());
        result.fail();
      }
    });
    return result;
  }

  private CompletableResultCode send(Collection<SpanData> spans) {
    try {
      CompletableResultCode sent = delegate.export(spans);
      return sent == null ? CompletableResultCode.ofFailure() : sent;
    } catch (RuntimeException | LinkageError e) {
      return CompletableResultCode.ofExceptionalFailure(e);
    }
  }

  private void failed(Throwable cause) {
    breaker.onFailure();
    stats.failedAttempts.incrementAndGet();
    summary.failure(cause);
  }

  private CompletableResultCode buffer(Collection<SpanData> spans) {
    SpanBuffer.Outcome outcome = buffer.write(spans);
    switch (outcome) {
      case STORED:
        stats.buffered.addAndGet(spans.size());
        return CompletableResultCode.ofSuccess();
      case FULL:
        stats.dropped(DropReason.BUFFER_FULL, spans.size());
        return CompletableResultCode.ofFailure();
      default:
        stats.dropped(shutdown.get() ? DropReason.SHUTDOWN : DropReason.WRITE_ERROR, spans.size());
        return CompletableResultCode.ofFailure();
    }
  }

  private static void complete(CompletableResultCode target, CompletableResultCode source) {
    if (source.isSuccess()) {
      target.succeed();
    } else {
      target.fail();
    }
  }

  /** One replay round on the worker thread: bounded work, stops at the first failure. */
  private void replayRound() {
    replay(config.replayBatchesPerRound(), Long.MAX_VALUE);
  }

  private void replay(int maxBatches, long deadlineNanos) {
    for (int i = 0; i < maxBatches && clock.nanoTime() - deadlineNanos < 0; i++) {
      if (replaying == null) {
        Collection<SpanData> batch = buffer.peek();
        if (batch == null || !breaker.tryAcquire()) {
          return;
        }
        replaying = send(batch);
        replayingSpans = batch.size();
      }
      long waitNanos = Math.min(config.exportTimeout().toNanos(), Math.max(0, deadlineNanos - clock.nanoTime()));
      CompletableResultCode sent = replaying.join(waitNanos, TimeUnit.NANOSECONDS);
      if (!sent.isDone()) {
        // Still with the backend: it may yet take the batch, so the batch is not sent again before it answered (a
        // second copy would arrive twice, and after the batches behind it).
        return;
      }
      replaying = null;
      if (sent.isSuccess()) {
        breaker.onSuccess();
        buffer.commit();
        stats.replayed.addAndGet(replayingSpans);
        pendingAttempts = 0;
        continue;
      }
      failed(sent.getFailureThrowable());
      if (pendingAttempts++ == 0) {
        pendingFirstFailure = clock.nanoTime();
      }
      if (pendingAttempts >= MAX_REPLAY_ATTEMPTS && lastLiveSuccess - pendingFirstFailure > 0) {
        // The backend takes fresh batches but keeps refusing this one: replaying it forever would block the rest.
        buffer.commit();
        stats.dropped(DropReason.REJECTED, replayingSpans);
        pendingAttempts = 0;
      }
      return;
    }
  }

  private void registerInstruments() {
    if (instrumentsRegistered.get() || !instrumentsRegistered.compareAndSet(false, true)) {
      return;
    }
    try {
      stats.register(meter.get(), name, buffer::bytes, () -> breaker.state().gaugeValue);
    } catch (RuntimeException | LinkageError e) {
      LOG.debug("Resilient export metrics could not be registered", e);
    }
  }

  private Runnable guarded(Runnable task) {
    return () -> {
      try {
        registerInstruments();
        task.run();
      } catch (RuntimeException | LinkageError e) {
        // A periodic task that throws is cancelled for good: log and keep the schedule.
        LOG.debug("Resilient export background task failed", e);
      }
    };
  }

  @Override
  public CompletableResultCode flush() {
    try {
      return delegate.flush();
    } catch (RuntimeException | LinkageError e) {
      return CompletableResultCode.ofFailure();
    }
  }

  /**
   * Replays what the buffer holds for at most {@code shutdown_timeout}, writes the last summary line, closes the
   * buffer (what is left stays on disk for the next start) and shuts the wrapped exporter down. Idempotent.
   */
  @Override
  public CompletableResultCode shutdown() {
    if (!shutdown.compareAndSet(false, true)) {
      return shutdownResult;
    }
    try {
      worker.execute(this::drainAndClose);
    } catch (RuntimeException e) {
      drainAndClose();
    }
    return shutdownResult;
  }

  private void drainAndClose() {
    try {
      replay(Integer.MAX_VALUE, clock.nanoTime() + config.shutdownTimeout().toNanos());
      summary.emit();
    } catch (RuntimeException | LinkageError e) {
      LOG.debug("Draining the disk buffer at shutdown failed", e);
    } finally {
      buffer.close();
      worker.shutdown();
      CompletableResultCode closed;
      try {
        closed = delegate.shutdown();
      } catch (RuntimeException | LinkageError e) {
        closed = CompletableResultCode.ofFailure();
      }
      CompletableResultCode delegateDone = closed;
      delegateDone.whenComplete(() -> complete(shutdownResult, delegateDone));
    }
  }

  /** Spans this exporter holds in heap right now (the batch being replayed), for tests of the memory bound. */
  int spansInMemory() {
    return buffer.spansInMemory();
  }

  ExportStats stats() {
    return stats;
  }

  CircuitBreaker.State breakerState() {
    return breaker.state();
  }

  SummaryLog summaryLog() {
    return summary;
  }

  @Override
  public String toString() {
    return "ResilientSpanExporter{" + name + ", " + delegate + "}";
  }

  /** Builder; {@link #build()} never fails on an unusable directory (the exporter then runs without a buffer). */
  public static final class Builder {
    private final SpanExporter delegate;
    private final ResilienceConfig config;
    private String name = "exporter";
    private Supplier<Meter> meter = () -> MeterProvider.noop().get("dev.mcpgw.observability.export");
    private Clock clock = Clock.getDefault();

    private Builder(SpanExporter delegate, ResilienceConfig config) {
      this.delegate = Objects.requireNonNull(delegate, "delegate");
      this.config = Objects.requireNonNull(config, "config");
    }

    /** The exporter's name in metrics ({@code exporter} attribute) and in the summary line. */
    public Builder name(String exporterName) {
      this.name = Objects.requireNonNull(exporterName, "name");
      return this;
    }

    /** The meter for the counters. */
    public Builder meter(Meter value) {
      Objects.requireNonNull(value, "meter");
      this.meter = () -> value;
      return this;
    }

    /** The meter, resolved at the first export or replay round (the SDK's meter provider may not exist yet). */
    public Builder meter(Supplier<Meter> value) {
      this.meter = Objects.requireNonNull(value, "meter");
      return this;
    }

    /** The clock of the circuit breaker and the shutdown deadline. */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    public ResilientSpanExporter build() {
      return new ResilientSpanExporter(this);
    }
  }
}
