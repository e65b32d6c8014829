package dev.mcpgw.observability;

import io.opentelemetry.api.trace.Span;

/** The span scope of the disabled module: one shared instance, nothing recorded, nothing allocated. */
enum NoopSpanScope implements SpanScope {
  INSTANCE;

  @Override
  public Span span() {
    return Span.getInvalid();
  }

  @Override
  public void recordException(Throwable error) {}

  @Override
  public void close() {}
}
