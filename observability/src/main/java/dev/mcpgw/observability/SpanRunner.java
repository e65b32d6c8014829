package dev.mcpgw.observability;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * How the facade's helpers run work: with a span, or (disabled) straight through. Chosen once when the facade is
 * built, so the hot path carries no {@code if (enabled)}.
 */
interface SpanRunner {

  SpanScope open(String name, SpanKind kind, Attributes attributes);

  <T> T trace(String name, Attributes attributes, Supplier<T> work);

  <T> T call(String name, Attributes attributes, Callable<T> work) throws Exception;

  <T> CompletableFuture<T> traceAsync(String name, Attributes attributes,
      Supplier<? extends CompletionStage<T>> work);
}
