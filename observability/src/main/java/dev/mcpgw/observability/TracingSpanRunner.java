package dev.mcpgw.observability;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/** Enabled: each call gets a child span of the current context; failures are recorded and rethrown unchanged. */
final class TracingSpanRunner implements SpanRunner {

  private final Tracer tracer;

  TracingSpanRunner(Tracer tracer) {
    this.tracer = tracer;
  }

  private Span start(String name, SpanKind kind, Attributes attributes) {
    return tracer.spanBuilder(name).setSpanKind(kind).setAllAttributes(attributes).startSpan();
  }

  @Override
  public SpanScope open(String name, SpanKind kind, Attributes attributes) {
    return new SdkSpanScope(start(name, kind, attributes));
  }

  @Override
  public <T> T trace(String name, Attributes attributes, Supplier<T> work) {
    Span span = start(name, SpanKind.INTERNAL, attributes);
    try (Scope ignored = span.makeCurrent()) {
      return work.get();
    } catch (RuntimeException | Error e) {
      Spans.fail(span, e);
      throw e;
    } finally {
      span.end();
    }
  }

  @Override
  public <T> T call(String name, Attributes attributes, Callable<T> work) throws Exception {
    Span span = start(name, SpanKind.INTERNAL, attributes);
    try (Scope ignored = span.makeCurrent()) {
      return work.call();
    } catch (Exception | Error e) {
      Spans.fail(span, e);
      throw e;
    } finally {
      span.end();
    }
  }

  @Override
  public <T> CompletableFuture<T> traceAsync(String name, Attributes attributes,
      Supplier<? extends CompletionStage<T>> work) {
    Span span = start(name, SpanKind.INTERNAL, attributes);
    CompletionStage<T> stage;
    try (Scope ignored = span.makeCurrent()) {
      stage = work.get();
    } catch (RuntimeException | Error e) {
      Spans.fail(span, e);
      span.end();
      throw e;
    }
    if (stage == null) {
      span.end();
      return CompletableFuture.completedFuture(null);
    }
    // The returned future completes only after the span has ended, so callers never race the span.
    return stage.whenComplete((value, error) -> {
      if (error != null) {
        Spans.fail(span, error);
      }
      span.end();
    }).toCompletableFuture();
  }
}
