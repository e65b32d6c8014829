package dev.mcpgw.observability.internal.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mcpgw.observability.config.ObservabilityConfig;
import dev.mcpgw.observability.privacy.PayloadCapture;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PayloadCaptureTest {

  private static final AttributeKey<String> ARGS = AttributeKey.stringKey("gen_ai.tool.call.arguments");
  private final InMemorySpanExporter sink = InMemorySpanExporter.create();
  private final SdkTracerProvider provider = SdkTracerProvider.builder()
      .addSpanProcessor(SimpleSpanProcessor.create(sink)).build();
  private final Sanitizer sanitizer = Sanitizer.create(ObservabilityConfig.defaults().privacy());

  @AfterEach
  void close() {
    provider.close();
  }

  private String captured(PayloadCapture capture, String payload) {
    Span span = provider.get("t").spanBuilder("tools/call").startSpan();
    capture.capture(span, ARGS.getKey(), payload);
    span.end();
    return sink.getFinishedSpanItems().get(0).getAttributes().get(ARGS);
  }

  private String capturedJson(PayloadCapture capture, String json) throws Exception {
    Span span = provider.get("t").spanBuilder("tools/call").startSpan();
    capture.capture(span, ARGS.getKey(), new ObjectMapper().readTree(json));
    span.end();
    return sink.getFinishedSpanItems().get(0).getAttributes().get(ARGS);
  }

  @Test
  void disabledCaptureRecordsNothing() throws Exception {
    PayloadCapture capture = PayloadCapture.disabled();
    assertThat(capture.enabled()).isFalse();
    assertThat(captured(capture, "{\"x\":1}")).isNull();
    assertThat(capturedJson(capture, "{\"x\":1}")).isNull();
  }

  @Test
  void enabledCaptureMasksBeforeRecording() throws Exception {
    PayloadCapture capture = SpanPayloadCapture.create(sanitizer, 1000);
    assertThat(capture.enabled()).isTrue();
    String value = capturedJson(capture, "{\"query\":\"mail x@example.com\",\"token\":\"t-1\"}");
    assertThat(value).isEqualTo("{\"query\":\"mail [EMAIL]\",\"token\":\"[REDACTED]\"}");
  }

  @Test
  void longPayloadsAreCutToTheLimitAfterMasking() throws Exception {
    PayloadCapture capture = SpanPayloadCapture.create(sanitizer, 100);
    String payload = "secret password=hunter2 " + "x".repeat(500);
    String value = captured(capture, payload);
    assertThat(value).hasSize(100).endsWith("...[truncated]").doesNotContain("hunter2");
  }

  @Test
  void captureOnANonRecordingSpanOrWithNullPayloadIsHarmless() {
    PayloadCapture capture = SpanPayloadCapture.create(null, 100);
    assertThatCode(() -> {
      capture.capture(Span.getInvalid(), "k", "v");
      capture.capture(Span.getInvalid(), "k", (String) null);
      capture.capture(Span.getInvalid(), "k", (com.fasterxml.jackson.databind.JsonNode) null);
    }).doesNotThrowAnyException();
  }
}
