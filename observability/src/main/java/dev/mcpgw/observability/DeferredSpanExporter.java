package dev.mcpgw.observability;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;

/**
 * The batch processor's exporter, bound to the real exporter chain only once the SDK exists. The chain is built
 * after the SDK so that exporters, resilient export and their background threads meet the real meter provider from
 * their first metric on; no span can be ended before the SDK is handed out, so nothing arrives while unbound.
 */
final class DeferredSpanExporter implements SpanExporter {

  private volatile SpanExporter delegate;

  void bind(SpanExporter exporter) {
    this.delegate = exporter;
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    SpanExporter d = delegate;
    return d == null ? CompletableResultCode.ofSuccess() : d.export(spans);
  }

  @Override
  public CompletableResultCode flush() {
    SpanExporter d = delegate;
    return d == null ? CompletableResultCode.ofSuccess() : d.flush();
  }

  @Override
  public CompletableResultCode shutdown() {
    SpanExporter d = delegate;
    return d == null ? CompletableResultCode.ofSuccess() : d.shutdown();
  }

  @Override
  public String toString() {
    return "Deferred{" + delegate + "}";
  }
}
