package dev.mcpgw.observability;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;

/** A recording span made current; closing restores the previous context and ends the span. */
final class SdkSpanScope implements SpanScope {

  private final Span span;
  private final Scope scope;

  SdkSpanScope(Span span) {
    this.span = span;
    this.scope = span.makeCurrent();
  }

  @Override
  public Span span() {
    return span;
  }

  @Override
  public void recordException(Throwable error) {
    Spans.fail(span, error);
  }

  @Override
  public void close() {
    try {
      scope.close();
    } finally {
      span.end();
    }
  }
}
