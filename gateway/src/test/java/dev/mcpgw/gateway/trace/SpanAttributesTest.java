package dev.mcpgw.gateway.trace;

import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Where a span's attributes go: the builder below a sampled parent, the span after its start if it records. */
class SpanAttributesTest {
  private static final AttributeKey<String> TOOL = AttributeKey.stringKey("tool.name");
  private static final AttributeKey<Long> PORT = AttributeKey.longKey("server.port");
  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

  private final InMemorySpanExporter memory = InMemorySpanExporter.create();
  /** What the sampler was shown at each start. */
  private final List<Attributes> seenBySampler = new ArrayList<>();
  private SdkTracerProvider provider;

  @AfterEach
  void close() {
    provider.close();
  }

  private Tracer tracer(Sampler decides) {
    Sampler watching = new Sampler() {
      @Override
      public SamplingResult shouldSample(Context parent, String traceId, String name, SpanKind kind,
          Attributes attributes, List<LinkData> links) {
        seenBySampler.add(attributes);
        return decides.shouldSample(parent, traceId, name, kind, attributes, links);
      }

      @Override
      public String getDescription() {
        return "watching " + decides.getDescription();
      }
    };
    provider = SdkTracerProvider.builder().setSampler(watching)
        .addSpanProcessor(SimpleSpanProcessor.create(memory)).build();
    return provider.get("test");
  }

  private static Context parent(TraceFlags flags) {
    return Context.root().with(Span.wrap(SpanContext.create(TRACE, "00f067aa0ba902b7", flags, TraceState.getDefault())));
  }

  private static Span start(Tracer tracer, Context parent, AtomicInteger described) {
    return SpanAttributes.start(tracer.spanBuilder("tools/call echo").setParent(parent), parent, a -> {
      described.incrementAndGet();
      a.put(TOOL, "echo").put(PORT, 8080L).put(AttributeKey.stringKey("absent"), null);
    });
  }

  @Test
  void belowASampledParentTheAttributesGoIntoTheBuilderWhereTheSamplerSeesThem() {
    AtomicInteger described = new AtomicInteger();
    start(tracer(Sampler.parentBased(Sampler.alwaysOn())), parent(TraceFlags.getSampled()), described).end();

    assertThat(seenBySampler).singleElement().satisfies(a -> assertThat(a.get(TOOL)).isEqualTo("echo"));
    assertThat(memory.getFinishedSpanItems()).singleElement().satisfies(span -> assertThat(span)
        .hasTraceId(TRACE).hasAttributes(Attributes.of(TOOL, "echo", PORT, 8080L)));
    assertThat(described).hasValue(1);
  }

  @Test
  void aRootSpanThatRecordsGetsTheSameAttributesAfterItsStart() {
    AtomicInteger described = new AtomicInteger();
    start(tracer(Sampler.alwaysOn()), Context.root(), described).end();

    assertThat(seenBySampler).singleElement().satisfies(a -> assertThat(a.isEmpty()).isTrue());
    assertThat(memory.getFinishedSpanItems()).singleElement()
        .satisfies(span -> assertThat(span).hasAttributes(Attributes.of(TOOL, "echo", PORT, 8080L)));
    assertThat(described).hasValue(1);
  }

  @Test
  void aSpanThatDoesNotRecordIsNeverDescribed() {
    AtomicInteger described = new AtomicInteger();
    Span root = SpanAttributes.start(tracer(Sampler.parentBased(Sampler.alwaysOff())).spanBuilder("POST /mcp"),
        Context.root(), a -> {
          throw new AssertionError("an unsampled span must read nothing to describe itself");
        });
    Span child = start(provider.get("test"), Context.root().with(root), described);

    assertThat(root.isRecording()).isFalse();
    assertThat(child.isRecording()).isFalse();
    // still a context of its own in the same trace, so the decision travels on
    assertThat(child.getSpanContext().isValid()).isTrue();
    assertThat(child.getSpanContext().getTraceId()).isEqualTo(root.getSpanContext().getTraceId());
    assertThat(described).hasValue(0);
    child.end();
    root.end();
    assertThat(memory.getFinishedSpanItems()).isEmpty();
  }

  @Test
  void aDescriptionThatThrowsLeavesNoSpanStartedAndReachesTheCaller() {
    Tracer tracer = tracer(Sampler.alwaysOn());
    IllegalStateException broken = new IllegalStateException("a getter of the request broke");
    for (Context parent : List.of(Context.root(), parent(TraceFlags.getSampled()))) {
      assertThatThrownBy(() -> SpanAttributes.start(tracer.spanBuilder("GET /broken").setParent(parent), parent, a -> {
        a.put(TOOL, "echo");
        throw broken;
      })).isSameAs(broken);
    }
    // after the start it is ended at once (below a sampled parent it never started)
    assertThat(memory.getFinishedSpanItems()).singleElement()
        .satisfies(span -> assertThat(span).hasName("GET /broken").hasEnded());
  }

  @Test
  void aSpanSampledBelowAnUnsampledParentStillGetsEveryAttribute() {
    AtomicInteger described = new AtomicInteger();
    // a sampler that ignores the parent records the child of a parent that was not sampled
    start(tracer(Sampler.alwaysOn()), parent(TraceFlags.getDefault()), described).end();

    assertThat(seenBySampler).singleElement().satisfies(a -> assertThat(a.isEmpty()).isTrue());
    assertThat(memory.getFinishedSpanItems()).singleElement().satisfies(span -> assertThat(span)
        .hasTraceId(TRACE).hasAttributes(Attributes.of(TOOL, "echo", PORT, 8080L)));
    assertThat(described).hasValue(1);
  }
}
