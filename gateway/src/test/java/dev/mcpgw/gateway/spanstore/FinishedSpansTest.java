package dev.mcpgw.gateway.spanstore;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import org.junit.jupiter.api.Test;

class FinishedSpansTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void everyAttributeTypeAndEveryEventIsKeptAndTheFilterColumnsAreCopiedOut() throws Exception {
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    SpanData data;
    try (SdkTracerProvider provider = SdkTracerProvider.builder()
        .addSpanProcessor(SimpleSpanProcessor.create(spans)).build()) {
      Span span = provider.get("t").spanBuilder("tools/call echo \"quoted\"").setSpanKind(SpanKind.SERVER)
          .setAttribute("gen_ai.tool.name", "echo").setAttribute("tenant.id", "acme").setAttribute("user.id", "alice")
          .setAttribute("request.id", "r-1").setAttribute("mcp.method.name", "tools/call")
          .setAttribute("http.response.status_code", 200L).setAttribute("ratio", 0.5).setAttribute("cached", true)
          .setAttribute("not.a.number", Double.NaN)
          .setAttribute(AttributeKey.stringArrayKey("tags"), List.of("a", "<b>"))
          .setAttribute(AttributeKey.longArrayKey("sizes"), List.of(1L, 2L)).startSpan();
      span.addEvent("retry", Attributes.of(AttributeKey.longKey("attempt"), 2L));
      span.addEvent("done");
      span.setStatus(StatusCode.ERROR);
      span.end();
      data = spans.getFinishedSpanItems().get(0);
    }
    FinishedSpans finished = new FinishedSpans();
    FinishedSpan span = finished.of(data);

    assertThat(span.toolName()).isEqualTo("echo");
    assertThat(span.tenantId()).isEqualTo("acme");
    assertThat(span.userId()).isEqualTo("alice");
    assertThat(span.requestId()).isEqualTo("r-1");
    assertThat(span.method()).isEqualTo("tools/call");
    assertThat(span.failed()).isTrue();
    assertThat(span.localRoot()).isTrue();
    assertThat(finished.of(data)).as("the codec's buffer is reused: a second span is the same").isEqualTo(span);

    SpanRow stored = ChunkCodec.decode(data.getTraceId(), "acme", new ChunkCodec().chunk(List.of(span))).get(0);
    assertThat(stored.name()).isEqualTo("tools/call echo \"quoted\"");
    assertThat(stored.status()).isEqualTo("error");
    assertThat(stored.startNs()).isEqualTo(data.getStartEpochNanos());
    JsonNode attributes = JSON.readTree(stored.attributes());
    assertThat(attributes.path("http.response.status_code").asLong()).isEqualTo(200);
    assertThat(attributes.path("ratio").asDouble()).isEqualTo(0.5);
    assertThat(attributes.path("cached").asBoolean()).isTrue();
    assertThat(attributes.path("not.a.number").asText()).isEqualTo("NaN");
    assertThat(attributes.path("tags").toString()).isEqualTo("[\"a\",\"<b>\"]");
    assertThat(attributes.path("sizes").toString()).isEqualTo("[1,2]");
    assertThat(attributes.path("user.id").asText()).isEqualTo("alice");
    JsonNode events = JSON.readTree(stored.events());
    assertThat(events).hasSize(2);
    assertThat(events.get(0).path("name").asText()).isEqualTo("retry");
    assertThat(events.get(0).path("attributes").path("attempt").asLong()).isEqualTo(2);
    assertThat(events.get(0).path("timeNs").asLong()).isEqualTo(data.getEvents().get(0).getEpochNanos());
    assertThat(events.get(1).path("attributes").size()).isZero();
  }
}
