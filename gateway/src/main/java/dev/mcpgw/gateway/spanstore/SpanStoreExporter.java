package dev.mcpgw.gateway.spanstore;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * The span exporter the observability pipeline calls (from its batch processor, behind the privacy sanitiser): it
 * turns each span into a {@link FinishedSpan} (its chunk element encoded here, on the batch
 * processor's thread) and offers it to the writer's bounded queue; a full queue drops the span and counts it.
 * It never waits for the database.
 */
final class SpanStoreExporter implements SpanExporter {
  private final BlockingQueue<FinishedSpan> queue;
  private final LongAdder accepted;
  private final LongAdder dropped;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final FinishedSpans finished = new FinishedSpans();

  SpanStoreExporter(BlockingQueue<FinishedSpan> queue, SpanStoreCounters counters) {
    this.queue = queue;
    this.accepted = counters.accepted;
    this.dropped = counters.dropped;
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    if (closed.get()) {
      dropped.add(spans.size());
      return CompletableResultCode.ofSuccess();
    }
    for (SpanData span : spans) {
      FinishedSpan done;
      try {
        done = finished.of(span);
      } catch (RuntimeException e) {
        dropped.increment();
        continue;
      }
      if (queue.offer(done)) {
        accepted.increment();
      } else {
        dropped.increment();
      }
    }
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode flush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode shutdown() {
    closed.set(true);
    return CompletableResultCode.ofSuccess();
  }
}
