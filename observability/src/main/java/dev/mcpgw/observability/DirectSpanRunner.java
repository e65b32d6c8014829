package dev.mcpgw.observability;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/** Disabled: runs the work and nothing else. */
enum DirectSpanRunner implements SpanRunner {
  INSTANCE;

  @Override
  public SpanScope open(String name, SpanKind kind, Attributes attributes) {
    return NoopSpanScope.INSTANCE;
  }

  @Override
  public <T> T trace(String name, Attributes attributes, Supplier<T> work) {
    return work.get();
  }

  @Override
  public <T> T call(String name, Attributes attributes, Callable<T> work) throws Exception {
    return work.call();
  }

  @Override
  public <T> CompletableFuture<T> traceAsync(String name, Attributes attributes,
      Supplier<? extends CompletionStage<T>> work) {
    CompletionStage<T> stage = work.get();
    return stage == null ? CompletableFuture.completedFuture(null) : stage.toCompletableFuture();
  }
}
