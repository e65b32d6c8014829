package dev.mcpgw.observability;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Error recording shared by the helpers. */
final class Spans {

  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  private Spans() {}

  /** Records {@code error} (unwrapped from async wrappers) and marks the span failed. Never throws. */
  static void fail(Span span, Throwable error) {
    try {
      Throwable cause = unwrap(error);
      span.recordException(cause);
      span.setAttribute(ERROR_TYPE, cause.getClass().getName());
      String message = cause.getMessage();
      span.setStatus(StatusCode.ERROR, message == null ? cause.getClass().getSimpleName() : message);
    } catch (RuntimeException ignored) {
      // Recording an error must not replace it with another one.
    }
  }

  static Throwable unwrap(Throwable error) {
    Throwable t = error;
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
