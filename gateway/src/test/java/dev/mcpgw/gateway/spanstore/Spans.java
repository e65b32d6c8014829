package dev.mcpgw.gateway.spanstore;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.time.Instant;

/** Finished spans made by hand, for the store's tests. */
final class Spans {
  private Spans() {}

  static SpanData span(String traceId, String spanId, String parentId, String name, Instant start, Attributes attrs) {
    return span(traceId, spanId, parentId, name, start, attrs, parentId == null ? SpanKind.SERVER : SpanKind.INTERNAL);
  }

  static SpanData span(String traceId, String spanId, String parentId, String name, Instant start, Attributes attrs,
      SpanKind kind) {
    long startNs = start.getEpochSecond() * 1_000_000_000L + start.getNano();
    return TestSpanData.builder()
        .setSpanContext(SpanContext.create(traceId, spanId, TraceFlags.getSampled(), TraceState.getDefault()))
        .setParentSpanContext(parentId == null ? SpanContext.getInvalid()
            : SpanContext.create(traceId, parentId, TraceFlags.getSampled(), TraceState.getDefault()))
        .setName(name).setKind(kind)
        .setStartEpochNanos(startNs).setEndEpochNanos(startNs + 2_000_000).setHasEnded(true)
        .setStatus(StatusData.unset()).setAttributes(attrs).setTotalRecordedEvents(0).setTotalRecordedLinks(0)
        .setTotalAttributeCount(attrs.size()).build();
  }

  static String trace(int n) {
    return String.format("%032x", n);
  }

  static String id(int n) {
    return String.format("%016x", n);
  }
}
