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
abstract class SpanAttributes {

  private SpanAttributes() {}

  /** Sets {@code key} to {@code value}; a {@code null} value is skipped, as the OpenTelemetry API does. */
  abstract <T> SpanAttributes put(AttributeKey<T> key, T value);

  /**
   * Starts {@code builder}'s span, a child of {@code parent}, with the attributes {@code describe} puts: before the
   * start when the parent was sampled, after it when the span records otherwise. When {@code describe} throws, no
   * span is left started (one started is ended at once, so the SDK's count of live spans stays right) and the
   * exception reaches the caller, which goes on untraced.
   */
  static Span start(SpanBuilder builder, Context parent, Consumer<SpanAttributes> describe) {
    if (Span.fromContext(parent).getSpanContext().isSampled()) {
      describe.accept(new OnBuilder(builder));
      return builder.startSpan();
    }
    Span span = builder.startSpan();
    if (span.isRecording()) {
      try {
        describe.accept(new OnSpan(span));
      } catch (RuntimeException | Error e) {
        span.end();
        throw e;
      }
    }
    return span;
  }

  private static final class OnBuilder extends SpanAttributes {
    private final SpanBuilder builder;

    OnBuilder(SpanBuilder builder) {
      this.builder = builder;
    }

    @Override
    <T> SpanAttributes put(AttributeKey<T> key, T value) {
      builder.setAttribute(key, value);
      return this;
    }
  }

  private static final class OnSpan extends SpanAttributes {
    private final Span span;

    OnSpan(Span span) {
      this.span = span;
    }

    @Override
    <T> SpanAttributes put(AttributeKey<T> key, T value) {
      span.setAttribute(key, value);
      return this;
    }
  }
}
