package dev.mcpgw.observability.internal.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgw.observability.privacy.PayloadCapture;
import io.opentelemetry.api.trace.Span;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Payload capture when on. Masks before cutting, so a cut never leaves half a secret the patterns no longer
 * recognise; the exporter-side sanitiser masks again anyway.
 */
public final class SpanPayloadCapture implements PayloadCapture {

  static final String TRUNCATED = "...[truncated]";
  private static final Logger LOG = LoggerFactory.getLogger(SpanPayloadCapture.class);

  private final Sanitizer sanitizer;
  private final int maxLength;
  private volatile boolean warned;

  /** Capture switched on, masking with {@code sanitizerOrNull} (null when OTEL_SANITIZE_PII=false). */
  public static PayloadCapture create(Sanitizer sanitizerOrNull, int maxLength) {
    return new SpanPayloadCapture(sanitizerOrNull, maxLength);
  }

  private SpanPayloadCapture(Sanitizer sanitizer, int maxLength) {
    this.sanitizer = sanitizer;
    this.maxLength = Math.max(TRUNCATED.length() + 1, maxLength);
  }

  @Override
  public boolean enabled() {
    return true;
  }

  @Override
  public void capture(Span span, String attributeKey, String payload) {
    if (payload == null || !span.isRecording()) {
      return;
    }
    try {
      String masked = sanitizer == null ? payload : sanitizer.sanitize(payload);
      span.setAttribute(attributeKey, cap(masked));
    } catch (RuntimeException e) {
      warnOnce(e);
    }
  }

  @Override
  public void capture(Span span, String attributeKey, JsonNode payload) {
    capture(span, List.of(attributeKey), payload);
  }

  @Override
  public void capture(Span span, List<String> attributeKeys, JsonNode payload) {
    if (payload == null || attributeKeys.isEmpty() || !span.isRecording()) {
      return;
    }
    try {
      JsonNode masked = sanitizer == null ? payload : sanitizer.sanitize(payload);
      String text = masked.toString();
      String value = cap(sanitizer == null ? text : sanitizer.sanitize(text));
      for (String key : attributeKeys) {
        span.setAttribute(key, value);
      }
    } catch (RuntimeException e) {
      warnOnce(e);
    }
  }

  private String cap(String value) {
    if (value.length() <= maxLength) {
      return value;
    }
    return value.substring(0, maxLength - TRUNCATED.length()) + TRUNCATED;
  }

  private void warnOnce(RuntimeException e) {
    if (!warned) {
      warned = true;
      LOG.warn("Payload capture failed and is skipped for this value (further failures are not logged): {}",
          e.getClass().getName());
    }
  }
}
