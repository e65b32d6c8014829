package dev.mcpgw.observability.internal.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.observability.propagation.McpMetaCarrier;
import dev.mcpgw.observability.propagation.TraceResponse;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each propagator round-trips through HTTP-style headers and through MCP params._meta, in both directions. */
class PropagatorsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String SPAN_ID = "00f067aa0ba902b7";

  /** Header getter over a map, case-insensitive like HTTP. */
  private static final TextMapGetter<Map<String, String>> HEADERS = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(Map<String, String> carrier) {
      return carrier.keySet();
    }

    @Override
    public String get(Map<String, String> carrier, String key) {
      return carrier == null ? null : carrier.get(key.toLowerCase(Locale.ROOT));
    }
  };

  private static Context sampledContext(boolean withState) {
    SpanContext ctx = SpanContext.create(TRACE_ID, SPAN_ID, TraceFlags.getSampled(),
        withState ? TraceState.builder().put("vendor", "value").build() : TraceState.getDefault());
    return Context.root().with(Span.wrap(ctx));
  }

  private static Map<String, String> inject(TextMapPropagator propagator, Context context) {
    Map<String, String> headers = new HashMap<>();
    propagator.inject(context, headers, (carrier, key, value) -> carrier.put(key.toLowerCase(Locale.ROOT), value));
    return headers;
  }

  @ParameterizedTest
  @ValueSource(strings = {"tracecontext", "b3", "b3multi", "jaeger", "ottrace"})
  void traceContextRoundTripsThroughHeaders(String name) {
    TextMapPropagator propagator = Propagators.create(List.of(name));
    Map<String, String> headers = inject(propagator, sampledContext(false));
    assertThat(headers).isNotEmpty();
    SpanContext extracted = Span.fromContext(propagator.extract(Context.root(), headers, HEADERS)).getSpanContext();
    assertThat(extracted.isRemote()).isTrue();
    assertThat(extracted.getTraceId()).endsWith(TRACE_ID.substring(16));
    assertThat(extracted.getSpanId()).isEqualTo(SPAN_ID);
    assertThat(extracted.isSampled()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"tracecontext", "b3", "b3multi", "jaeger", "ottrace"})
  void traceContextRoundTripsThroughMcpMeta(String name) {
    TextMapPropagator propagator = Propagators.create(List.of(name));
    ObjectNode params = JSON.createObjectNode().put("name", "echo");
    McpMetaCarrier.inject(propagator, sampledContext(false), params);
    assertThat(params.get("_meta").isObject()).isTrue();

    SpanContext extracted = Span.fromContext(McpMetaCarrier.extract(propagator, Context.root(), params))
        .getSpanContext();
    assertThat(extracted.getTraceId()).endsWith(TRACE_ID.substring(16));
    assertThat(extracted.getSpanId()).isEqualTo(SPAN_ID);
    assertThat(extracted.isSampled()).isTrue();
  }

  @Test
  void w3cWritesTraceparentTracestateAndBaggageIntoMeta() {
    TextMapPropagator propagator = Propagators.create(List.of("tracecontext", "baggage"));
    Context context = sampledContext(true).with(Baggage.builder().put("tenant.id", "acme").build());
    ObjectNode params = JSON.createObjectNode();
    McpMetaCarrier.inject(propagator, context, params);

    assertThat(params.at("/_meta/traceparent").asText()).isEqualTo("00-" + TRACE_ID + "-" + SPAN_ID + "-01");
    assertThat(params.at("/_meta/tracestate").asText()).isEqualTo("vendor=value");
    assertThat(params.at("/_meta/baggage").asText()).isEqualTo("tenant.id=acme");

    Context back = McpMetaCarrier.extract(propagator, Context.root(), params);
    assertThat(Span.fromContext(back).getSpanContext().getTraceState().get("vendor")).isEqualTo("value");
    assertThat(Baggage.fromContext(back).getEntryValue("tenant.id")).isEqualTo("acme");
  }

  @Test
  void baggageRoundTripsThroughHeaders() {
    TextMapPropagator propagator = Propagators.create(List.of("baggage"));
    Map<String, String> headers = inject(propagator,
        Context.root().with(Baggage.builder().put("user.id", "u1").build()));
    assertThat(headers).containsEntry("baggage", "user.id=u1");
    assertThat(Baggage.fromContext(propagator.extract(Context.root(), headers, HEADERS)).getEntryValue("user.id"))
        .isEqualTo("u1");
  }

  @Test
  void headersFromOtherSystemsAreExtracted() {
    // As a client instrumented with another tracer would send them.
    Map<String, String> b3 = Map.of("x-b3-traceid", TRACE_ID, "x-b3-spanid", SPAN_ID, "x-b3-sampled", "1");
    Map<String, String> jaeger = Map.of("uber-trace-id", TRACE_ID + ":" + SPAN_ID + ":0:1");
    assertThat(Span.fromContext(Propagators.create(List.of("b3multi")).extract(Context.root(), b3, HEADERS))
        .getSpanContext().getTraceId()).isEqualTo(TRACE_ID);
    assertThat(Span.fromContext(Propagators.create(List.of("jaeger")).extract(Context.root(), jaeger, HEADERS))
        .getSpanContext().getTraceId()).isEqualTo(TRACE_ID);
  }

  @Test
  void compositeInjectsEveryConfiguredFormat() {
    TextMapPropagator propagator = Propagators.create(List.of("tracecontext", "baggage", "b3multi"));
    Map<String, String> headers = inject(propagator, sampledContext(false));
    assertThat(headers).containsKeys("traceparent", "x-b3-traceid", "x-b3-spanid");
    assertThat(propagator.fields()).contains("traceparent", "baggage", "X-B3-TraceId");
  }

  @Test
  void noneInjectsNothing() {
    TextMapPropagator propagator = Propagators.create(List.of("none"));
    assertThat(inject(propagator, sampledContext(false))).isEmpty();
    assertThat(propagator).isSameAs(TextMapPropagator.noop());
  }

  @Test
  void metaWinsOverHeadersWhenBothArePresent() {
    TextMapPropagator propagator = Propagators.create(List.of("tracecontext"));
    Map<String, String> headers = Map.of("traceparent", "00-11111111111111111111111111111111-2222222222222222-01");
    ObjectNode params = JSON.createObjectNode();
    McpMetaCarrier.inject(propagator, sampledContext(false), params);

    Context fromHeaders = propagator.extract(Context.root(), headers, HEADERS);
    Context combined = McpMetaCarrier.extract(propagator, fromHeaders, params);
    assertThat(Span.fromContext(combined).getSpanContext().getTraceId()).isEqualTo(TRACE_ID);

    Context metaAbsent = McpMetaCarrier.extract(propagator, fromHeaders, JSON.createObjectNode());
    assertThat(Span.fromContext(metaAbsent).getSpanContext().getTraceId())
        .isEqualTo("11111111111111111111111111111111");
  }

  @Test
  void traceResponseHeaderNamesTheTraceOfAValidContextOnly() {
    SpanContext ctx = Span.fromContext(sampledContext(false)).getSpanContext();
    assertThat(TraceResponse.value(ctx)).isEqualTo("00-" + TRACE_ID + "-" + SPAN_ID + "-01");
    assertThat(TraceResponse.value(SpanContext.getInvalid())).isNull();
    assertThat(TraceResponse.value(null)).isNull();
  }
}
