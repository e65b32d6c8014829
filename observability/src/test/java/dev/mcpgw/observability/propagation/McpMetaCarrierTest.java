package dev.mcpgw.observability.propagation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.observability.internal.propagation.Propagators;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class McpMetaCarrierTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TextMapPropagator W3C = Propagators.create(List.of("tracecontext", "baggage"));

  private static Context context() {
    return Context.root().with(Span.wrap(SpanContext.create("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7",
        TraceFlags.getSampled(), TraceState.getDefault())));
  }

  private static ObjectNode params(String json) throws Exception {
    return (ObjectNode) JSON.readTree(json);
  }

  @Test
  void createsMetaWhenAbsentAndKeepsOtherParams() throws Exception {
    ObjectNode params = params("{\"name\":\"echo\",\"arguments\":{\"x\":1}}");
    McpMetaCarrier.inject(W3C, context(), params);
    assertThat(params.get("name").asText()).isEqualTo("echo");
    assertThat(params.at("/arguments/x").asInt()).isEqualTo(1);
    assertThat(params.at("/_meta/traceparent").asText()).startsWith("00-4bf92f35");
  }

  @Test
  void addsToExistingMetaWithoutLosingItsFields() throws Exception {
    ObjectNode params = params("{\"_meta\":{\"progressToken\":7}}");
    McpMetaCarrier.inject(W3C, context(), params);
    assertThat(params.at("/_meta/progressToken").asInt()).isEqualTo(7);
    assertThat(params.at("/_meta/traceparent").isTextual()).isTrue();
  }

  @Test
  void replacesNullMeta() throws Exception {
    ObjectNode params = params("{\"_meta\":null}");
    McpMetaCarrier.inject(W3C, context(), params);
    assertThat(params.at("/_meta/traceparent").isTextual()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"_meta\":\"text\"}", "{\"_meta\":[1,2]}", "{\"_meta\":42}", "{\"_meta\":true}"})
  void leavesNonObjectMetaAloneAndNeverThrows(String json) throws Exception {
    ObjectNode params = params(json);
    JsonNode before = params.deepCopy();
    assertThatCode(() -> McpMetaCarrier.inject(W3C, context(), params)).doesNotThrowAnyException();
    assertThat(params).isEqualTo(before);
    assertThat(Span.fromContext(McpMetaCarrier.extract(W3C, Context.root(), params)).getSpanContext().isValid())
        .isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{}",
      "{\"_meta\":{}}",
      "{\"_meta\":{\"traceparent\":null}}",
      "{\"_meta\":{\"traceparent\":12345}}",
      "{\"_meta\":{\"traceparent\":{\"nested\":true}}}",
      "{\"_meta\":{\"traceparent\":\"garbage\"}}",
      "{\"_meta\":{\"traceparent\":[\"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\"]}}"})
  void oddValuesExtractNothing(String json) throws Exception {
    Context extracted = McpMetaCarrier.extract(W3C, Context.root(), params(json));
    assertThat(Span.fromContext(extracted).getSpanContext().isValid()).isFalse();
  }

  @Test
  void nullParamsAreTolerated() {
    assertThatCode(() -> McpMetaCarrier.inject(W3C, context(), null)).doesNotThrowAnyException();
    assertThat(McpMetaCarrier.extract(W3C, Context.root(), null)).isSameAs(Context.root());
    assertThat(McpMetaCarrier.INSTANCE.keys(null)).isEmpty();
    assertThat(McpMetaCarrier.INSTANCE.get(null, "traceparent")).isNull();
  }

  @Test
  void readsKeysCaseInsensitively() throws Exception {
    ObjectNode params = params("{\"_meta\":{\"X-B3-TraceId\":\"4bf92f3577b34da6a3ce929d0e0e4736\"}}");
    assertThat(McpMetaCarrier.INSTANCE.get(params, "x-b3-traceid")).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(McpMetaCarrier.INSTANCE.keys(params)).containsExactly("X-B3-TraceId");
  }

  @Test
  void aPropagatorThatThrowsDoesNotReachTheCaller() throws Exception {
    TextMapPropagator broken = new TextMapPropagator() {
      @Override
      public java.util.Collection<String> fields() {
        return List.of();
      }

      @Override
      public <C> void inject(Context context, C carrier, io.opentelemetry.context.propagation.TextMapSetter<C> s) {
        throw new IllegalStateException("boom");
      }

      @Override
      public <C> Context extract(Context context, C carrier,
          io.opentelemetry.context.propagation.TextMapGetter<C> getter) {
        throw new IllegalStateException("boom");
      }
    };
    ObjectNode params = params("{}");
    assertThatCode(() -> McpMetaCarrier.inject(broken, context(), params)).doesNotThrowAnyException();
    assertThat(McpMetaCarrier.extract(broken, Context.root(), params)).isSameAs(Context.root());
  }
}
