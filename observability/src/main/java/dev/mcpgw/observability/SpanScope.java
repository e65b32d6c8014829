package dev.mcpgw.observability;

import io.opentelemetry.api.trace.Span;

/**
 * A started span that is current until {@link #close()}, which also ends it, like a context manager:
 * {@code try (SpanScope s = observability.span("tool.lookup", attrs)) { ... }}. Must be closed on the
 * thread that opened it.
 */
public interface SpanScope extends AutoCloseable {

  /** The span, to add attributes or events; an invalid no-op span when observability is disabled. */
  Span span();

  /** Records the exception as an event and sets status ERROR (masked before export). */
  void recordException(Throwable error);

  /** Leaves the span's context and ends the span. Never throws. */
  @Override
  void close();
}
