package dev.mcpgw.gateway.spanstore;

import dev.mcpgw.gateway.config.GatewaySettings;
import dev.mcpgw.gateway.store.Database;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded span store. Made before the observability pipeline (which takes its {@link #exporter()}), started
 * once the database is open ({@link #start}); until then spans wait in the bounded queue. Closing it writes what is
 * queued and stops its threads.
 */
public final class SpanStore implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SpanStore.class);
  /** The span store's name among the pipeline's exporters. */
  public static final String EXPORTER_NAME = "span-store";

  private final GatewaySettings.SpanStore settings;
  private final BlockingQueue<FinishedSpan> queue;
  private final SpanStoreCounters counters = new SpanStoreCounters();
  private final SpanStoreExporter exporter;
  private final Clock clock;
  private volatile SpanWriter writer;
  private Thread writerThread;
  private ScheduledExecutorService pruner;
  private volatile SpanRetention retention;
  private volatile SpanQueries queries;

  private SpanStore(GatewaySettings.SpanStore settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    this.queue = settings.enabled() ? new ArrayBlockingQueue<>(settings.queueSize()) : null;
    this.exporter = settings.enabled() ? new SpanStoreExporter(queue, counters) : null;
  }

  public static SpanStore create(GatewaySettings.SpanStore settings) {
    return new SpanStore(settings, Clock.systemUTC());
  }

  static SpanStore create(GatewaySettings.SpanStore settings, Clock clock) {
    return new SpanStore(settings, clock);
  }

  public boolean enabled() {
    return settings.enabled();
  }

  public GatewaySettings.SpanStore settings() {
    return settings;
  }

  /** The exporter to add to the observability pipeline; empty when the store is off ({@code MCPGW_SPAN_STORE}). */
  public Optional<SpanExporter> exporter() {
    return Optional.ofNullable(exporter);
  }

  /** Starts the writer and the retention task over {@code db}; nothing when the store is off. */
  public synchronized void start(Database db) {
    if (!settings.enabled() || writer != null) {
      return;
    }
    Jdbi jdbi = db.untracedJdbi();
    queries = new SpanQueries(jdbi, clock);
    retention = new SpanRetention(jdbi, db.isSqlite(), settings.retention(), settings.maxSpans(), clock);
    writer = new SpanWriter(queue, jdbi, settings.batchSize(), counters, System::nanoTime, db.statements());
    writerThread = Thread.ofPlatform().name("mcpgw-span-store").daemon().start(writer);
    pruner = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("mcpgw-span-retention")
        .daemon().unstarted(r));
    long every = Math.max(1, settings.pruneInterval().toMillis());
    pruner.scheduleWithFixedDelay(this::pruneQuietly, every, every, TimeUnit.MILLISECONDS);
  }

  /** The queries over the stored spans; empty until started or when off. */
  public Optional<SpanQueries> queries() {
    return Optional.ofNullable(queries);
  }

  /** Runs retention now; returns how many spans went. */
  int prune() {
    SpanRetention r = retention;
    if (r == null) {
      return 0;
    }
    int gone = r.prune();
    counters.pruned.add(gone);
    return gone;
  }

  private void pruneQuietly() {
    try {
      prune();
    } catch (RuntimeException e) {
      LOG.warn("span store retention failed: {}", e.toString());
    }
  }

  /** The store's counters now. */
  public SpanStoreStats stats() {
    SpanWriter w = writer;
    return new SpanStoreStats(settings.enabled(), queue == null ? 0 : queue.size(), settings.queueSize(),
        counters.accepted.sum(), counters.dropped.sum() + counters.writeFailed.sum(), counters.written.sum(),
        counters.writeFailed.sum(), counters.batches.sum(), counters.largestBatch.get(), counters.pruned.sum(),
        w == null ? 0 : w.held());
  }

  @Override
  public synchronized void close() {
    if (exporter != null) {
      exporter.shutdown();
    }
    if (pruner != null) {
      pruner.shutdownNow();
    }
    if (writer != null) {
      writer.stop();
      try {
        writerThread.join(TimeUnit.SECONDS.toMillis(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
