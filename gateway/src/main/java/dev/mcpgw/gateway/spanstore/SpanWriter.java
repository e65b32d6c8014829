package dev.mcpgw.gateway.spanstore;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import dev.mcpgw.gateway.store.StatementObserver;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's own thread: takes up to {@code batchSize} rows from the queue, stamps their tenants and writes them in
 * one transaction. A failed write drops the batch and counts it; the thread goes on.
 */
final class SpanWriter implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(SpanWriter.class);
  static final long HOLD_NANOS = TimeUnit.SECONDS.toNanos(30);
  static final String INSERT = "INSERT INTO spans (trace_id, span_id, parent_span_id, name, kind, start_ns,"
      + " duration_ns, status, tenant_id, user_id, request_id, tool_name, upstream, method, service, attributes, events)"
      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (trace_id, span_id) DO NOTHING";

  private final BlockingQueue<SpanRow> queue;
  private final Jdbi jdbi;
  private final int batchSize;
  private final SpanStoreCounters counters;
  private final TenantStamping stamping;
  private final LongSupplier nanoTime;
  private final StatementObserver statements;
  private volatile boolean running = true;
  private long lastFailureLog;

  SpanWriter(BlockingQueue<SpanRow> queue, Jdbi jdbi, int batchSize, SpanStoreCounters counters, LongSupplier nanoTime,
      StatementObserver statements) {
    this.statements = statements;
    this.queue = queue;
    this.jdbi = jdbi;
    this.batchSize = batchSize;
    this.counters = counters;
    this.nanoTime = nanoTime;
    this.stamping = new TenantStamping(HOLD_NANOS, Math.max(batchSize, queue.remainingCapacity() + queue.size()));
  }

  void stop() {
    running = false;
  }

  @Override
  public void run() {
    List<SpanRow> batch = new ArrayList<>(batchSize);
    while (running) {
      try {
        SpanRow first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first != null) {
          batch.add(first);
          queue.drainTo(batch, batchSize - 1);
        }
        write(stamping.accept(batch, nanoTime.getAsLong()));
        batch.clear();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException e) {
        batch.clear();
        LOG.warn("span store writer: {}", e.toString());
      }
    }
    // at close: what is queued and held is written before the database closes
    queue.drainTo(batch);
    List<SpanRow> rest = stamping.accept(batch, nanoTime.getAsLong());
    rest.addAll(stamping.drain());
    for (int i = 0; i < rest.size(); i += batchSize) {
      write(rest.subList(i, Math.min(rest.size(), i + batchSize)));
    }
  }

  int held() {
    return stamping.heldRows();
  }

  private void write(List<SpanRow> rows) {
    for (int i = 0; i < rows.size(); i += batchSize) {
      writeBatch(rows.subList(i, Math.min(rows.size(), i + batchSize)));
    }
  }

  private void writeBatch(List<SpanRow> rows) {
    if (rows.isEmpty()) {
      return;
    }
    try {
      jdbi.useTransaction(h -> {
        // plain JDBC, positional: Jdbi's named binding resolved an argument factory for each of the 17 values of
        // every row, a third of the writer's time
        try (java.sql.PreparedStatement ps = h.getConnection().prepareStatement(INSERT)) {
          for (SpanRow r : rows) {
            ps.setString(1, r.traceId());
            ps.setString(2, r.spanId());
            ps.setString(3, r.parentSpanId());
            ps.setString(4, r.name());
            ps.setString(5, r.kind());
            ps.setLong(6, r.startNs());
            ps.setLong(7, r.durationNs());
            ps.setString(8, r.status());
            ps.setString(9, r.tenantId());
            ps.setString(10, r.userId());
            ps.setString(11, r.requestId());
            ps.setString(12, r.toolName());
            ps.setString(13, r.upstream());
            ps.setString(14, r.method());
            ps.setString(15, r.service());
            ps.setString(16, r.attributes());
            ps.setString(17, r.events());
            ps.addBatch();
          }
          long started = System.nanoTime();
          try {
            ps.executeBatch();
          } catch (java.sql.SQLException e) {
            statements.executed(INSERT, System.nanoTime() - started, e);
            throw e;
          }
          statements.executed(INSERT, System.nanoTime() - started, null);
        }
      });
      counters.written(rows.size());
    } catch (RuntimeException | java.sql.SQLException e) {
      counters.failed(rows.size());
      long now = nanoTime.getAsLong();
      if (lastFailureLog == 0 || now - lastFailureLog > TimeUnit.MINUTES.toNanos(1)) {
        lastFailureLog = now;
        LOG.warn("span store: writing {} spans failed, they are dropped and counted: {}", rows.size(), e.toString());
      }
    }
  }
}
