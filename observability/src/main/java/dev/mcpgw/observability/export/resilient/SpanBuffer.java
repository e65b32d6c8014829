package dev.mcpgw.observability.export.resilient;

import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.Collection;

/** Where batches wait while the backend is unreachable. One writer lock, one reader (the replay thread). */
interface SpanBuffer {

  enum Outcome { STORED, FULL, ERROR }

  /** Stores a batch; never throws. */
  Outcome write(Collection<SpanData> spans);

  /** The oldest stored batch, the same one until {@link #commit()}; null when none is ready for replay. */
  Collection<SpanData> peek();

  /** Forgets the batch {@link #peek()} returned, for good (it was exported or is dropped). */
  void commit();

  /** Bytes held on disk. */
  long bytes();

  /** Spans held in heap by the buffer (at most the one batch being replayed). */
  int spansInMemory();

  /** Releases files; what was not committed stays on disk for the next process. Never throws. */
  void close();

  /** The buffer used when no directory could be prepared: it keeps nothing, every write is an error. */
  SpanBuffer NONE = new SpanBuffer() {
    @Override
    public Outcome write(Collection<SpanData> spans) {
      return Outcome.ERROR;
    }

    @Override
    public Collection<SpanData> peek() {
      return null;
    }

    @Override
    public void commit() {}

    @Override
    public long bytes() {
      return 0;
    }

    @Override
    public int spansInMemory() {
      return 0;
    }

    @Override
    public void close() {}
  };
}
