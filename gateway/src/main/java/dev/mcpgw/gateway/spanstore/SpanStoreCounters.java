package dev.mcpgw.gateway.spanstore;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** What the store has done since start-up, for {@code /observability/stats} and the console's export health. */
final class SpanStoreCounters {
  final LongAdder accepted = new LongAdder();
  final LongAdder dropped = new LongAdder();
  final LongAdder written = new LongAdder();
  final LongAdder writeFailed = new LongAdder();
  final LongAdder batches = new LongAdder();
  final LongAdder pruned = new LongAdder();
  final AtomicInteger largestBatch = new AtomicInteger();

  void written(int n) {
    written.add(n);
    batches.increment();
    largestBatch.accumulateAndGet(n, Math::max);
  }

  void failed(int n) {
    writeFailed.add(n);
  }
}
