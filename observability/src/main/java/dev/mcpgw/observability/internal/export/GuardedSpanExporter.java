package dev.mcpgw.observability.internal.export;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import dev.mcpgw.observability.logging.ThrottledLogger;
import java.util.Collection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns anything an exporter throws into a failed result and a rate-limited log line, so one broken exporter can
 * neither break its neighbours in a composite nor reach the code that ends spans.
 */
public final class GuardedSpanExporter implements SpanExporter {

  private static final Logger LOG = LoggerFactory.getLogger(GuardedSpanExporter.class);

  private final String name;
  private final SpanExporter delegate;
  private final ThrottledLogger failures = ThrottledLogger.of(LOG);

  public GuardedSpanExporter(String name, SpanExporter delegate) {
    this.name = name;
    this.delegate = delegate;
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    try {
      return delegate.export(spans);
    } catch (RuntimeException | LinkageError e) {
      failures.warn("Span exporter '{}' failed; {} spans dropped: {}", name, spans.size(), summary(e));
      return CompletableResultCode.ofFailure();
    }
  }

  @Override
  public CompletableResultCode flush() {
    try {
      return delegate.flush();
    } catch (RuntimeException | LinkageError e) {
      failures.warn("Span exporter '{}' failed to flush: {}", name, summary(e));
      return CompletableResultCode.ofFailure();
    }
  }

  @Override
  public CompletableResultCode shutdown() {
    try {
      return delegate.shutdown();
    } catch (RuntimeException | LinkageError e) {
      failures.warn("Span exporter '{}' failed to shut down: {}", name, summary(e));
      return CompletableResultCode.ofFailure();
    }
  }

  /** The cause by type and message only: an exporter's stack is noise in the gateway's log. */
  private static String summary(Throwable cause) {
    return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : " " + cause.getMessage());
  }

  @Override
  public String toString() {
    return "Guarded{" + name + "}";
  }
}
