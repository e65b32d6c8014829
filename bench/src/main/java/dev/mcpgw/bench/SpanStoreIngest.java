package dev.mcpgw.bench;

import dev.mcpgw.gateway.config.GatewaySettings;
import dev.mcpgw.gateway.spanstore.SpanStore;
import dev.mcpgw.gateway.spanstore.SpanStoreStats;
import dev.mcpgw.gateway.store.Database;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How many spans per second the embedded span store writes into SQLite: makes {@code traces} five-span tool-call
 * traces with the SDK (the gateway's names and attributes), hands them to the store's exporter in batches of 512 as
 * the batch processor does, and times until the writer has written them all; prints the exporter's CPU time per span
 * (what the batch processor's thread pays), the writer thread's (SQLite included) and the process's (exporter, writer, SQLite, GC, JIT).
 * {@code java -cp bench/target/benchmarks.jar dev.mcpgw.bench.SpanStoreIngest [traces] [batch size]}
 */
public final class SpanStoreIngest {
  private SpanStoreIngest() {}

  public static void main(String[] args) throws Exception {
    int traces = args.length > 0 ? Integer.parseInt(args[0]) : 40_000;
    int batchSize = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
    List<SpanData> spans = new ArrayList<>(traces * 5);
    SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(new Collect(spans)).build();
    Tracer tracer = provider.get("bench");
    for (int i = 0; i < traces; i++) {
      Span http = tracer.spanBuilder("POST /mcp").setSpanKind(SpanKind.SERVER).setAttribute("request.id", "req-" + i)
          .setAttribute("http.request.method", "POST").setAttribute("http.route", "/mcp")
          .setAttribute("http.response.status_code", 200L).startSpan();
      try (Scope a = http.makeCurrent()) {
        Span mcp = tracer.spanBuilder("tools/call demo-echo").setSpanKind(SpanKind.SERVER)
            .setAttribute("mcp.method.name", "tools/call").setAttribute("tool.name", "demo-echo")
            .setAttribute("gen_ai.tool.name", "demo-echo").setAttribute("user.id", "user-" + (i % 50))
            .setAttribute("tenant.id", "tenant-" + (i % 5)).setAttribute("mcp.session.id", "s-" + (i % 100))
            .startSpan();
        try (Scope b = mcp.makeCurrent()) {
          mcp.addEvent("tool.validation.completed");
          tracer.spanBuilder("tool.lookup").setAttribute("tool.name", "demo-echo").startSpan().end();
          Span forward = tracer.spanBuilder("gateway.forward").setAttribute("mcpgw.upstream.name", "demo")
              .setAttribute("peer.service", "demo").startSpan();
          try (Scope c = forward.makeCurrent()) {
            Span client = tracer.spanBuilder("tools/call echo").setSpanKind(SpanKind.CLIENT)
                .setAttribute("mcpgw.upstream.name", "demo").setAttribute("server.address", "127.0.0.1")
                .setAttribute("mcpgw.circuit_breaker.state", "CLOSED").startSpan();
            if (i % 20 == 0) {
              client.setStatus(StatusCode.ERROR);
            }
            client.end();
          }
          forward.end();
        }
        mcp.end();
      }
      http.end();
    }
    provider.close();

    Path dir = Files.createTempDirectory("mcpgw-span-ingest");
    try (Database db = Database.open(new GatewaySettings.Database("jdbc:sqlite:" + dir.resolve("spans.db"), null,
        null, 4))) {
      SpanStore store = SpanStore.create(new GatewaySettings.SpanStore(true, Duration.ofDays(1), spans.size() * 2,
          spans.size(), batchSize, Duration.ofHours(1)));
      store.start(db);
      var exporter = store.exporter().orElseThrow();
      com.sun.management.OperatingSystemMXBean os =
          (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
      java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
      long cpuStart = os.getProcessCpuTime();
      long exporterCpuStart = threads.getCurrentThreadCpuTime();
      long start = System.nanoTime();
      for (int i = 0; i < spans.size(); i += 512) {
        exporter.export(spans.subList(i, Math.min(spans.size(), i + 512)));
      }
      long offered = System.nanoTime();
      long exporterCpu = threads.getCurrentThreadCpuTime() - exporterCpuStart;
      SpanStoreStats s = store.stats();
      while (s.written() + s.dropped() < spans.size()) {
        Thread.sleep(2);
        s = store.stats();
      }
      long done = System.nanoTime();
      long processCpu = os.getProcessCpuTime() - cpuStart;
      long writerCpu = 0;
      for (Thread t : Thread.getAllStackTraces().keySet()) {
        if (t.getName().equals("mcpgw-span-store")) {
          writerCpu += threads.getThreadCpuTime(t.threadId());
        }
      }
      store.close();
      db.close();
      // the database's size on disk once every span is in (the registry's own tables are a few KB of it)
      long bytes;
      try (var files = Files.list(dir)) {
        bytes = files.mapToLong(f -> f.toFile().length()).sum();
      }
      double seconds = (done - start) / 1e9;
      // CPU per span: the exporter's (the batch processor's thread in the gateway) and the whole process's (exporter,
      // writer thread, SQLite, GC, JIT) while ingesting
      System.out.printf("spans=%d batch=%d offered_in=%.0fms written=%d dropped=%d seconds=%.2f spans_per_second=%.0f"
          + " exporter_cpu_us_per_span=%.2f writer_cpu_us_per_span=%.2f process_cpu_us_per_span=%.2f%n",
          spans.size(), batchSize, (offered - start) / 1e6, s.written(), s.dropped(), seconds, s.written() / seconds,
          exporterCpu / 1e3 / spans.size(), writerCpu / 1e3 / spans.size(), processCpu / 1e3 / spans.size());
      System.out.printf("disk_bytes=%d bytes_per_stored_span=%.0f mib_per_million_stored_spans=%.0f%n", bytes,
          (double) bytes / s.written(), bytes / (double) s.written() * 1e6 / (1024 * 1024));
    } finally {
      // the database is tens of MB: nothing of a run is left in the temporary directory
      try (var files = Files.list(dir)) {
        for (Path f : files.toList()) {
          Files.deleteIfExists(f);
        }
      }
      Files.deleteIfExists(dir);
    }
  }

  /** Keeps every finished span. */
  private record Collect(List<SpanData> into) implements SpanProcessor {
    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {}

    @Override
    public boolean isStartRequired() {
      return false;
    }

    @Override
    public void onEnd(ReadableSpan span) {
      into.add(span.toSpanData());
    }

    @Override
    public boolean isEndRequired() {
      return true;
    }
  }
}
