package dev.mcpgw.observability.internal.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.KeyValue;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.exporter.internal.otlp.traces.LowAllocationTraceRequestMarshaler;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import io.opentelemetry.api.trace.StatusCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OtlpTraceEncoderTest {

  private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
  private static final String SPAN = "b7ad6b7169203331";
  private static final String PARENT = "00f067aa0ba902b7";
  private static final Resource RESOURCE = Resource.builder().put("service.name", "mcpgw")
      .put("service.version", "1.0").setSchemaUrl("https://opentelemetry.io/schemas/1.30.0").build();
  private static final InstrumentationScopeInfo SCOPE = InstrumentationScopeInfo.builder("dev.mcpgw.gateway")
      .setVersion("1.2.3").setSchemaUrl("https://opentelemetry.io/schemas/1.30.0")
      .setAttributes(Attributes.of(AttributeKey.stringKey("scope.key"), "v")).build();

  @Test
  void writesTheSdkMarshalersBytesForATypicalServerSpan() throws IOException {
    assertSameBytes(List.of(span(SPAN).build()));
  }

  @Test
  void writesEveryAttributeTypeAsTheSdkDoes() throws IOException {
    Attributes attributes = Attributes.builder()
        .put("s", "text").put("empty", "").put("t", true).put("f", false)
        .put("l", 42L).put("zero", 0L).put("negative", -7L).put("max", Long.MAX_VALUE)
        .put("d", 3.25).put("dzero", 0.0).put("dneg", -0.0).put("nan", Double.NaN)
        .put(AttributeKey.stringArrayKey("sa"), List.of("a", "", "ü"))
        .put(AttributeKey.booleanArrayKey("ba"), List.of(true, false))
        .put(AttributeKey.longArrayKey("la"), List.of(1L, -1L, 0L))
        .put(AttributeKey.doubleArrayKey("da"), List.of(1.5, 0.0))
        .put(AttributeKey.stringArrayKey("none"), List.of())
        .put(AttributeKey.valueKey("vs"), Value.of("x"))
        .put(AttributeKey.valueKey("vb"), Value.of(false))
        .put(AttributeKey.valueKey("vbytes"), Value.of(new byte[] {1, 2, 3}))
        .put(AttributeKey.valueKey("vempty"), Value.empty())
        .put(AttributeKey.valueKey("varr"), Value.of(Value.of(1L), Value.of("two"), Value.of(Value.of(true))))
        .put(AttributeKey.valueKey("vmap"), Value.of(KeyValue.of("k", Value.of(2.5)),
            KeyValue.of("nested", Value.of(KeyValue.of("deep", Value.of("y"))))))
        .build();
    assertSameBytes(List.of(span(SPAN).setAttributes(attributes).setTotalAttributeCount(40).build()));
  }

  @Test
  void encodesTextOutsideAsciiAsUtf8() throws IOException {
    String text = "é ü € 中文 😀 \u0000 tab\t";
    assertSameBytes(List.of(span(SPAN).setName(text)
        .setAttributes(Attributes.of(AttributeKey.stringKey("k€y"), text)).build()));
  }

  @Test
  void writesAnUnpairedSurrogateAsTheSdkDoes() throws IOException {
    assertSameBytes(List.of(span(SPAN).setName("lone \uD800 high, lone \uDC00 low, end \uD83D")
        .setAttributes(Attributes.of(AttributeKey.stringKey("k"), "\uDBFF")).build()));
  }

  @Test
  void movesContentWhenALengthNeedsMoreBytesThanReserved() throws IOException {
    String medium = "m".repeat(200);
    String large = "x".repeat(20_000) + "é".repeat(9_000);
    assertSameBytes(List.of(span(SPAN).setName(medium)
        .setAttributes(Attributes.of(AttributeKey.stringKey("large"), large, AttributeKey.stringKey("medium"),
            medium)).build()));
  }

  @Test
  void writesEventsLinksStatusAndFlagsAsTheSdkDoes() throws IOException {
    SpanContext linked = SpanContext.createFromRemoteParent("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b8",
        TraceFlags.getDefault(), TraceState.builder().put("vendor", "value").put("other", "x").build());
    SpanData error = span(SPAN)
        .setParentSpanContext(SpanContext.createFromRemoteParent(TRACE, PARENT, TraceFlags.getSampled(),
            TraceState.getDefault()))
        .setSpanContext(SpanContext.create(TRACE, SPAN, TraceFlags.getSampled(),
            TraceState.builder().put("mcpgw", "1").build()))
        .setKind(SpanKind.CLIENT)
        .setEvents(List.of(EventData.create(1_700_000_000_123_000_000L, "exception",
                Attributes.of(AttributeKey.stringKey("exception.message"), "boom"), 3),
            EventData.create(1_700_000_000_124_000_000L, "retry", Attributes.empty())))
        .setTotalRecordedEvents(5)
        .setLinks(List.of(LinkData.create(linked, Attributes.of(AttributeKey.longKey("n"), 1L), 2),
            LinkData.create(SpanContext.create(TRACE, PARENT, TraceFlags.getSampled(), TraceState.getDefault()))))
        .setTotalRecordedLinks(4)
        .setStatus(StatusData.create(StatusCode.ERROR, "upstream timed out"))
        .build();
    SpanData ok = span(PARENT).setKind(SpanKind.PRODUCER).setStatus(StatusData.ok()).build();
    SpanData internal = span("1111111111111111").setKind(SpanKind.INTERNAL).setName("")
        .setAttributes(Attributes.empty()).setTotalAttributeCount(0).build();
    SpanData consumer = span("2222222222222222").setKind(SpanKind.CONSUMER)
        .setSpanContext(SpanContext.create(TRACE, "2222222222222222", TraceFlags.getDefault(),
            TraceState.getDefault())).build();
    assertSameBytes(List.of(error, ok, internal, consumer));
  }

  @Test
  void writesABatchWhoseGroupsNeedLongerLengthsThanReserved() throws IOException {
    List<SpanData> spans = new ArrayList<>();
    for (int i = 0; i < 6_000; i++) {
      spans.add(span(String.format("%016x", i + 1)).setName("tools/call " + i)
          .setAttributes(Attributes.of(AttributeKey.stringKey("mcp.tool.name"), "echo-" + "e".repeat(i % 700)))
          .build());
    }
    assertThat(encode(spans).length).as("larger than a three-byte length holds").isGreaterThan(1 << 21);
    assertSameBytes(spans);
    assertSameBytes(spans.subList(0, 1));
    assertSameBytes(List.of());
  }

  @Test
  void resourceAndScopeWithoutOptionalFieldsMatchTheSdk() throws IOException {
    SpanData bare = span(SPAN).setResource(Resource.empty())
        .setInstrumentationScopeInfo(InstrumentationScopeInfo.create("bare")).build();
    assertSameBytes(List.of(bare));
  }

  @Test
  void groupsSpansByResourceThenScopeInTheOrderFirstSeen() throws IOException {
    Resource other = Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "peer"));
    InstrumentationScopeInfo http = InstrumentationScopeInfo.create("http");
    List<SpanData> spans = List.of(
        span("0000000000000001").build(),
        span("0000000000000002").setResource(other).build(),
        span("0000000000000003").setInstrumentationScopeInfo(http).build(),
        span("0000000000000004").build(),
        span("0000000000000005").setResource(other).setInstrumentationScopeInfo(http).build());

    ExportTraceServiceRequest ours = ExportTraceServiceRequest.parseFrom(encode(spans));
    ExportTraceServiceRequest sdk = ExportTraceServiceRequest.parseFrom(sdkBytes(spans));

    assertThat(ours.getResourceSpansList()).extracting(r -> r.getResource().getAttributes(0).getValue()
        .getStringValue()).containsExactly("mcpgw", "peer");
    assertThat(ours.getResourceSpans(0).getScopeSpansList()).extracting(s -> s.getScope().getName())
        .containsExactly("dev.mcpgw.gateway", "http");
    assertThat(ours.getResourceSpans(0).getScopeSpans(0).getSpansList()).hasSize(2);
    assertThat(byGroup(ours)).isEqualTo(byGroup(sdk));
  }

  @Test
  void reusesItsBufferForTheNextBatch() throws IOException {
    ProtoWriter writer = new ProtoWriter(64);
    OtlpTraceEncoder encoder = new OtlpTraceEncoder(writer);
    List<SpanData> big = List.of(span(SPAN).setName("n".repeat(5_000)).build());
    List<SpanData> small = List.of(span(PARENT).build());
    encoder.encode(big);
    encoder.encode(small);
    assertThat(writer.toByteArray()).isEqualTo(sdkBytes(small));
  }

  private static Map<String, ScopeSpans> byGroup(ExportTraceServiceRequest request) {
    Map<String, ScopeSpans> groups = new java.util.HashMap<>();
    for (ResourceSpans resource : request.getResourceSpansList()) {
      for (ScopeSpans scope : resource.getScopeSpansList()) {
        groups.put(resource.getResource() + "/" + scope.getScope().getName(), scope);
      }
    }
    return groups;
  }

  private static TestSpanData.Builder span(String spanId) {
    return TestSpanData.builder()
        .setSpanContext(SpanContext.create(TRACE, spanId, TraceFlags.getSampled(), TraceState.getDefault()))
        .setParentSpanContext(SpanContext.create(TRACE, PARENT, TraceFlags.getSampled(), TraceState.getDefault()))
        .setResource(RESOURCE)
        .setInstrumentationScopeInfo(SCOPE)
        .setName("tools/call echo")
        .setKind(SpanKind.SERVER)
        .setStartEpochNanos(1_700_000_000_000_000_000L)
        .setEndEpochNanos(1_700_000_000_250_000_000L)
        .setAttributes(Attributes.builder().put("http.request.method", "POST").put("http.response.status_code", 200L)
            .put("mcp.method.name", "tools/call").put("gen_ai.tool.name", "echo").put("server.port", 4444L).build())
        .setTotalAttributeCount(5)
        .setStatus(StatusData.unset())
        .setHasEnded(true);
  }

  private static void assertSameBytes(List<SpanData> spans) throws IOException {
    byte[] ours = encode(spans);
    assertThat(ours).isEqualTo(sdkBytes(spans));
    ByteArrayOutputStream lowAllocation = new ByteArrayOutputStream();
    LowAllocationTraceRequestMarshaler marshaler = new LowAllocationTraceRequestMarshaler();
    marshaler.initialize(spans);
    marshaler.writeBinaryTo(lowAllocation);
    assertThat(ours).isEqualTo(lowAllocation.toByteArray());
    assertThat(ExportTraceServiceRequest.parseFrom(ours).getResourceSpansList().stream()
        .flatMap(r -> r.getScopeSpansList().stream()).mapToInt(ScopeSpans::getSpansCount).sum())
        .isEqualTo(spans.size());
  }

  private static byte[] encode(List<SpanData> spans) {
    OtlpTraceEncoder encoder = new OtlpTraceEncoder(new ProtoWriter(64));
    encoder.encode(spans);
    return encoder.writer().toByteArray();
  }

  private static byte[] sdkBytes(List<SpanData> spans) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TraceRequestMarshaler.create(spans).writeBinaryTo(out);
    return out.toByteArray();
  }
}
