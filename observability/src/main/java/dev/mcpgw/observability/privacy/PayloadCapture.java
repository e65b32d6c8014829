package dev.mcpgw.observability.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.api.trace.Span;
import java.util.List;

/**
 * Puts request and response payloads (tool arguments and results, prompt arguments and rendered messages, resource
 * contents) on spans, only when the operator opted in ({@code OTEL_CAPTURE_PAYLOADS=true}). Values are masked and cut
 * to the span attribute length limit. When capture is off this is a no-op object; it never throws.
 */
public interface PayloadCapture {

  /** Whether payloads are captured; callers may skip building a payload string when false. */
  boolean enabled();

  /** Sets {@code attributeKey} on {@code span} to the masked, length-capped {@code payload}. */
  void capture(Span span, String attributeKey, String payload);

  /** Sets {@code attributeKey} on {@code span} to the masked, length-capped JSON text of {@code payload}. */
  void capture(Span span, String attributeKey, JsonNode payload);

  /**
   * Sets each of {@code attributeKeys} on {@code span} to the masked, length-capped JSON text of {@code payload},
   * serialising and masking it once (one payload under its GenAI and its OpenInference name).
   */
  default void capture(Span span, List<String> attributeKeys, JsonNode payload) {
    for (String key : attributeKeys) {
      capture(span, key, payload);
    }
  }

  /** Capture switched off: every call does nothing. */
  static PayloadCapture disabled() {
    return DisabledPayloadCapture.INSTANCE;
  }
}
