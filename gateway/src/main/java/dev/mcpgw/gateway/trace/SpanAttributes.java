package dev.mcpgw.gateway.trace;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.context.Context;
import java.util.function.Consumer;

/**
 * Where a span's attributes go (ADR 0038): into its builder when its parent was sampled (the span will almost surely
 * record, and a builder takes attributes without the span's lock), else onto the started span and only if it
 * records, so that a call nobody samples reads nothing to describe itself. Either way the span ends up with the same
 * attributes; no sampler of the gateway reads them at the start.
 */
final class SpanAttributes {
  /** Exactly one of the two is set. */
  private final SpanBuilder builder;
  private final Span span;

  private SpanAttributes(SpanBuilder builder, Span span) {
    this.builder = builder;
    this.span = span;
  }

  /** Sets {@code key} to {@code value}; a {@code null} value is skipped, as the OpenTelemetry API does. */
  <T> SpanAttributes put(AttributeKey<T> key, T value) {
    if (builder != null) {
      builder.setAttribute(key, value);
    } else {
      span.setAttribute(key, value);
    }
    return this;
  }

  /**
   * Starts {@code builder}'s span, a child of {@code parent}, with the attributes {@code describe} puts: before the
   * start when the parent was sampled, after it when the span records otherwise. When {@code describe} throws, no
   * span is left started (one started is ended at once, so the SDK's count of live spans stays right) and the
   * exception reaches the caller, which goes on untraced.
   */
  static Span start(SpanBuilder builder, Context parent, Consumer<SpanAttributes> describe) {
    if (Span.fromContext(parent).getSpanContext().isSampled()) {
      describe.accept(new SpanAttributes(builder, null));
      return builder.startSpan();
    }
    Span span = builder.startSpan();
    if (span.isRecording()) {
      try {
        describe.accept(new SpanAttributes(null, span));
      } catch (RuntimeException | Error e) {
        span.end();
        throw e;
      }
    }
    return span;
  }
}
