package dev.mcpgw.observability.testing;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;

/** A collaborator that throws from every method, for tests that the pipeline contains its failures. */
public final class ThrowingSpanExporter implements SpanExporter {

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    throw new IllegalStateException("backend exploded");
  }

  @Override
  public CompletableResultCode flush() {
    throw new IllegalStateException("flush exploded");
  }

  @Override
  public CompletableResultCode shutdown() {
    throw new IllegalStateException("shutdown exploded");
  }
}
