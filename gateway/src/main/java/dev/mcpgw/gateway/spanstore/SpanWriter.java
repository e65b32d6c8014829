package dev.mcpgw.gateway.spanstore;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * one transaction, one chunk per trace and tenant (ADR 0027). A chunk whose trace has no line yet becomes that line,
 * carrying the chunk's spans and first request id: one row per call in the common case (ADR 0034). A chunk of a trace
 * that has a line is a {@code span_chunks} row, and its request ids {@code span_requests} rows, and the line takes
 * its times, status, span count and calls. A failed write drops the batch and counts it; the thread goes on.
 */
final class SpanWriter implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(SpanWriter.class);
  static final long HOLD_NANOS = TimeUnit.SECONDS.toNanos(30);
  /**
   * How long the writer lets a batch fill after its first span (spans show up after the 5 s export delay anyway): a
   * commit writes every B-tree page the batch touched, and the pages of the random trace ids are shared by more of a
   * batch's traces the more it holds (ADR 0031).
   */
  static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final long LINGER_STEP_MILLIS = 10;
  static final String INSERT_CHUNK = "INSERT INTO span_chunks (trace_id, tenant_id, start_ns, span_count, spans)"
      + " VALUES (?, ?, ?, ?, ?)";
  static final String INSERT_REQUEST = "INSERT INTO span_requests (request_id, trace_id, tenant_id, start_ns)"
      + " VALUES (?, ?, ?, ?)";
  /** A new line, carrying its first chunk; a line that exists is left alone (its update count 0) and merged. */
  static final String INSERT_TRACE = "INSERT INTO span_traces (trace_id, tenant_id, start_ns, end_ns, failed, name,"
      + " name_order, request_id, user_id, tool_name, span_count, calls, spans)"
      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (trace_id, tenant_id) DO NOTHING";
  static final String UPSERT_TRACE = "INSERT INTO span_traces (trace_id, tenant_id, start_ns, end_ns, failed, name,"
      + " name_order, request_id, user_id, tool_name, span_count, calls) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
      + " ON CONFLICT (trace_id, tenant_id) DO UPDATE SET"
      + " start_ns = CASE WHEN excluded.start_ns < span_traces.start_ns THEN excluded.start_ns"
      + " ELSE span_traces.start_ns END,"
      + " end_ns = CASE WHEN excluded.end_ns > span_traces.end_ns THEN excluded.end_ns ELSE span_traces.end_ns END,"
      + " failed = CASE WHEN excluded.failed > span_traces.failed THEN excluded.failed ELSE span_traces.failed END,"
      + " name = CASE WHEN excluded.name_order < span_traces.name_order THEN excluded.name ELSE span_traces.name END,"
      + " name_order = CASE WHEN excluded.name_order < span_traces.name_order THEN excluded.name_order"
      + " ELSE span_traces.name_order END,"
      + " request_id = COALESCE(span_traces.request_id, excluded.request_id),"
      + " user_id = COALESCE(span_traces.user_id, excluded.user_id),"
      + " tool_name = COALESCE(span_traces.tool_name, excluded.tool_name),"
      + " span_count = span_traces.span_count + excluded.span_count,"
      // bounded: a client that sends one traceparent on every request must not grow one line without end
      + " calls = CASE WHEN LENGTH(span_traces.calls) < " + TraceChunk.MAX_CALLS
      + " THEN span_traces.calls || excluded.calls ELSE span_traces.calls END";

  private final BlockingQueue<FinishedSpan> queue;
  private final Jdbi jdbi;
  private final int batchSize;
  private final SpanStoreCounters counters;
  private final TenantStamping stamping;
  private final LongSupplier nanoTime;
  private final StatementObserver statements;
  private final ChunkCodec codec = new ChunkCodec();
  private volatile boolean running = true;
  private long lastFailureLog;

  SpanWriter(BlockingQueue<FinishedSpan> queue, Jdbi jdbi, int batchSize, SpanStoreCounters counters, LongSupplier nanoTime,
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
    List<FinishedSpan> batch = new ArrayList<>(batchSize);
    while (running) {
      try {
        FinishedSpan first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first != null) {
          batch.add(first);
          linger();
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
    List<FinishedSpan> rest = stamping.accept(batch, nanoTime.getAsLong());
    rest.addAll(stamping.drain());
    for (int i = 0; i < rest.size(); i += batchSize) {
      write(rest.subList(i, Math.min(rest.size(), i + batchSize)));
    }
  }

  /**
   * Lets a batch fill before it is written: the batch processor hands spans over in bursts and the exporter offers
   * them one by one, so writing at the first span made many small transactions, each paying the commit and the
   * index pages it touches. Waits up to {@link #LINGER_NANOS} in short steps, and no longer once a whole batch waits
   * or the queue is half full (a small queue must not drop for the wait).
   */
  private void linger() throws InterruptedException {
    long until = nanoTime.getAsLong() + LINGER_NANOS;
    while (running && queue.size() < batchSize - 1 && queue.size() < queue.remainingCapacity()
        && nanoTime.getAsLong() < until) {
      Thread.sleep(LINGER_STEP_MILLIS);
    }
  }

  int held() {
    return stamping.heldRows();
  }

  private void write(List<FinishedSpan> rows) {
    for (int i = 0; i < rows.size(); i += batchSize) {
      writeBatch(rows.subList(i, Math.min(rows.size(), i + batchSize)));
    }
  }

  private void writeBatch(List<FinishedSpan> rows) {
    if (rows.isEmpty()) {
      return;
    }
    // one chunk per trace and tenant: the batch's spans of a trace are written together, in one row
    Map<String, List<FinishedSpan>> byTrace = new LinkedHashMap<>();
    for (FinishedSpan r : rows) {
      byTrace.computeIfAbsent(r.traceId(), k -> new ArrayList<>(8)).add(r);
    }
    List<TraceChunk> chunks = new ArrayList<>(byTrace.size());
    for (List<FinishedSpan> trace : byTrace.values()) {
      chunksOf(trace, chunks);
    }
    try {
      jdbi.useTransaction(h -> {
        // plain JDBC, positional: Jdbi's named binding resolved an argument factory for each value
        java.sql.Connection c = h.getConnection();
        String[] encoded = new String[chunks.size()];
        try (java.sql.PreparedStatement line = c.prepareStatement(INSERT_TRACE)) {
          for (int i = 0; i < encoded.length; i++) {
            TraceChunk ch = chunks.get(i);
            encoded[i] = codec.chunk(ch.spans());
            bindLine(line, ch);
            line.setString(13, encoded[i]);
            line.addBatch();
          }
          merge(c, chunks, encoded, execute(line, INSERT_TRACE));
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

  /** The chunks of one trace's spans: one, unless they belong to several tenants (a client reusing a trace id). */
  private static void chunksOf(List<FinishedSpan> trace, List<TraceChunk> chunks) {
    String tenant = trace.get(0).tenantKey();
    int i = 1;
    while (i < trace.size() && trace.get(i).tenantKey().equals(tenant)) {
      i++;
    }
    if (i == trace.size()) {
      chunks.add(TraceChunk.of(trace));
      return;
    }
    Map<String, List<FinishedSpan>> byTenant = new LinkedHashMap<>();
    for (FinishedSpan r : trace) {
      byTenant.computeIfAbsent(r.tenantKey(), k -> new ArrayList<>(8)).add(r);
    }
    for (List<FinishedSpan> spans : byTenant.values()) {
      chunks.add(TraceChunk.of(spans));
    }
  }

  /**
   * The rest of each chunk: for a new line (its insert counted 1), only the request ids after its first; for a line
   * that existed, the chunk as a row, all its request ids, and the merge into the line.
   */
  private void merge(java.sql.Connection c, List<TraceChunk> chunks, String[] encoded, int[] inserted)
      throws java.sql.SQLException {
    try (java.sql.PreparedStatement insert = c.prepareStatement(INSERT_CHUNK);
        java.sql.PreparedStatement upsert = c.prepareStatement(UPSERT_TRACE);
        java.sql.PreparedStatement request = c.prepareStatement(INSERT_REQUEST)) {
      boolean requests = false;
      boolean merged = false;
      for (int i = 0; i < chunks.size(); i++) {
        TraceChunk ch = chunks.get(i);
        boolean created = created(inserted[i]);
        // every call's request id, not only the trace's first: the requestId filter answers from these and the lines
        for (int r = created ? 1 : 0; r < ch.requests().size(); r++) {
          FinishedSpan row = ch.requests().get(r);
          request.setString(1, row.requestId());
          request.setString(2, ch.traceId());
          request.setString(3, ch.tenantKey());
          request.setLong(4, row.startNs());
          request.addBatch();
          requests = true;
        }
        if (created) {
          continue;
        }
        insert.setString(1, ch.traceId());
        insert.setString(2, ch.tenantKey());
        insert.setLong(3, ch.startNs());
        insert.setInt(4, ch.spans().size());
        insert.setString(5, encoded[i]);
        insert.addBatch();
        bindLine(upsert, ch);
        upsert.addBatch();
        merged = true;
      }
      if (merged) {
        execute(insert, INSERT_CHUNK);
        execute(upsert, UPSERT_TRACE);
      }
      if (requests) {
        execute(request, INSERT_REQUEST);
      }
    }
  }

  /** Whether a line's insert made it (1) or found it (0); a driver that does not say would merge a line twice. */
  private static boolean created(int count) throws java.sql.SQLException {
    if (count != 0 && count != 1) {
      throw new java.sql.SQLException("the database driver did not report how many rows each batched insert made ("
          + count + "); with PostgreSQL, remove reWriteBatchedInserts from the database URL");
    }
    return count == 1;
  }

  /** The line's first twelve parameters, shared by the insert and the upsert. */
  private static void bindLine(java.sql.PreparedStatement ps, TraceChunk ch) throws java.sql.SQLException {
    ps.setString(1, ch.traceId());
    ps.setString(2, ch.tenantKey());
    ps.setLong(3, ch.startNs());
    ps.setLong(4, ch.endNs());
    ps.setInt(5, ch.failed() ? 1 : 0);
    ps.setString(6, ch.name());
    ps.setLong(7, ch.nameOrder());
    ps.setString(8, ch.requestId());
    ps.setString(9, ch.userId());
    ps.setString(10, ch.toolName());
    ps.setInt(11, ch.spans().size());
    ps.setString(12, ch.calls());
  }

  private int[] execute(java.sql.PreparedStatement ps, String sql) throws java.sql.SQLException {
    long started = System.nanoTime();
    int[] counts;
    try {
      counts = ps.executeBatch();
    } catch (java.sql.SQLException e) {
      statements.executed(sql, System.nanoTime() - started, e);
      throw e;
    }
    statements.executed(sql, System.nanoTime() - started, null);
    return counts;
  }
}
