package dev.mcpgw.observability.internal.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mcpgw.observability.config.ObservabilityConfig;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real SDK spans through the sanitising exporter: nothing sensitive reaches the exporter behind it. */
class SanitizingSpanExporterTest {

  private final InMemorySpanExporter sink = InMemorySpanExporter.create();
  private final SanitizingSpanExporter exporter =
      new SanitizingSpanExporter(Sanitizer.create(ObservabilityConfig.defaults().privacy()), sink);
  private final SdkTracerProvider provider = SdkTracerProvider.builder()
      .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
  private final Tracer tracer = provider.get("test");

  @AfterEach
  void close() {
    provider.close();
  }

  @Test
  void masksAttributesEventsExceptionsAndStatus() {
    Span span = tracer.spanBuilder("tools/call login").startSpan();
    span.setAttribute("tool.name", "login");
    span.setAttribute("user.email", "jane@example.com");
    span.setAttribute("gen_ai.tool.call.arguments", "{\"user\":\"jane\",\"password\":\"hunter2\"}");
    span.setAttribute("http.request.header.authorization", "Bearer abc.def.ghi");
    span.addEvent("plugin.pre_invoke.executed", Attributes.of(AttributeKey.stringKey("detail"),
        "forwarded api_key=sk-live-0123456789abcdefghij"));
    span.recordException(new IllegalStateException("login failed for jane@example.com with password=hunter2"));
    span.setStatus(StatusCode.ERROR, "upstream said: token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln");
    span.end();

    SpanData out = sink.getFinishedSpanItems().get(0);
    String everything = out.getName() + out.getAttributes() + out.getEvents() + out.getStatus();
    assertThat(everything).doesNotContain("jane@example.com", "hunter2", "abc.def.ghi", "sk-live-0123456789",
        "eyJzdWIiOiIxIn0");
    assertThat(out.getAttributes().get(AttributeKey.stringKey("tool.name"))).isEqualTo("login");
    assertThat(out.getAttributes().get(AttributeKey.stringKey("user.email"))).isEqualTo("[EMAIL]");
    EventData exception = out.getEvents().stream().filter(e -> e.getName().equals("exception")).findFirst()
        .orElseThrow();
    assertThat(exception.getAttributes().get(AttributeKey.stringKey("exception.message")))
        .isEqualTo("login failed for [EMAIL] with password=[REDACTED]");
    assertThat(exception.getAttributes().get(AttributeKey.stringKey("exception.stacktrace")))
        .contains("IllegalStateException").doesNotContain("hunter2");
    assertThat(out.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(out.getStatus().getDescription()).contains("[JWT]");
    // Identity and timing are untouched.
    assertThat(out.getSpanContext().getTraceId()).hasSize(32);
    assertThat(out.getTotalAttributeCount()).isEqualTo(4);
  }

  @Test
  void masksLinkAttributes() {
    Span other = tracer.spanBuilder("other").startSpan();
    Span span = tracer.spanBuilder("linked").addLink(other.getSpanContext(),
        Attributes.of(AttributeKey.stringKey("origin"), "sent by bob@example.com")).startSpan();
    span.end();
    other.end();
    SpanData out = sink.getFinishedSpanItems().stream().filter(s -> s.getName().equals("linked")).findFirst()
        .orElseThrow();
    assertThat(out.getLinks()).singleElement().satisfies(link -> {
      assertThat(link.getAttributes().get(AttributeKey.stringKey("origin"))).isEqualTo("sent by [EMAIL]");
      assertThat(link.getSpanContext()).isEqualTo(other.getSpanContext());
    });
  }

  @Test
  void passesCleanSpansThroughAsTheSameObjects() {
    Span span = tracer.spanBuilder("tools/call echo").startSpan();
    span.setAttribute("tool.name", "echo");
    span.addEvent("tool.validation.completed");
    span.end();
    SpanData original = sink.getFinishedSpanItems().get(0);
    assertThat(original.getClass().getSimpleName()).doesNotContain("Masked");
    assertThat(exporter.sanitize(original)).isSameAs(original);
  }

  @Test
  void delegatesFlushAndShutdown() {
    assertThat(exporter.flush().isSuccess()).isTrue();
    exporter.shutdown();
    Span span = tracer.spanBuilder("after").startSpan();
    span.end();
    assertThat(sink.getFinishedSpanItems()).isEmpty();
  }

  @Test
  void masksEveryStringInABatch() {
    for (int i = 0; i < 10; i++) {
      Span span = tracer.spanBuilder("op").startSpan();
      span.setAttribute("note", "user" + i + "@example.com");
      span.end();
    }
    List<SpanData> spans = sink.getFinishedSpanItems();
    assertThat(spans).hasSize(10).allSatisfy(s ->
        assertThat(s.getAttributes().get(AttributeKey.stringKey("note"))).isEqualTo("[EMAIL]"));
  }
}
