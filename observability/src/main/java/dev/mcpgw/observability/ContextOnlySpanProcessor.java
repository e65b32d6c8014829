package dev.mcpgw.observability;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;

/**
 * Registered when tracing is on but nothing exports. The SDK hands out its no-op tracer when a provider has no
 * processor at all; this one keeps real spans, so requests still get trace ids for log correlation,
 * {@code traceresponse} and propagation to upstreams, while nothing is queued or exported.
 */
enum ContextOnlySpanProcessor implements SpanProcessor {
  INSTANCE;

  @Override
  public void onStart(Context parentContext, ReadWriteSpan span) {}

  @Override
  public boolean isStartRequired() {
    return false;
  }

  @Override
  public void onEnd(ReadableSpan span) {}

  @Override
  public boolean isEndRequired() {
    return false;
  }
}
