package dev.mcpgw.observability.testing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.util.ArrayList;
import java.util.List;

/** Finished spans made without a tracer, numbered by a {@code seq} attribute, for exporter tests. */
public final class TestSpans {

  public static final AttributeKey<Long> SEQ = AttributeKey.longKey("seq");

  private TestSpans() {}

  /** Spans {@code from} .. {@code from + count - 1}, each its own trace, span id derived from the number. */
  public static List<SpanData> batch(long from, int count) {
    List<SpanData> out = new ArrayList<>(count);
    for (long seq = from; seq < from + count; seq++) {
      out.add(span(seq));
    }
    return out;
  }

  public static SpanData span(long seq) {
    String hex = String.format("%016x", seq + 1);
    return TestSpanData.builder()
        .setSpanContext(SpanContext.create("0af7651916cd43dd" + hex, hex, TraceFlags.getSampled(),
            TraceState.getDefault()))
        .setName("op-" + seq)
        .setKind(SpanKind.INTERNAL)
        .setStartEpochNanos(1_700_000_000_000_000_000L + seq * 1000)
        .setEndEpochNanos(1_700_000_000_000_000_000L + seq * 1000 + 500)
        .setAttributes(Attributes.of(SEQ, seq))
        .setStatus(StatusData.unset())
        .setHasEnded(true)
        .setTotalRecordedEvents(0)
        .setTotalRecordedLinks(0)
        .setTotalAttributeCount(1)
        .build();
  }

  /** The {@code seq} numbers of the given spans, in order. */
  public static List<Long> seqs(List<SpanData> spans) {
    return spans.stream().map(s -> s.getAttributes().get(SEQ)).toList();
  }
}
