package dev.mcpgw.observability.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.api.trace.Span;
import java.util.List;

/** Payload capture when the operator has not opted in. */
enum DisabledPayloadCapture implements PayloadCapture {
  INSTANCE;

  @Override
  public boolean enabled() {
    return false;
  }

  @Override
  public void capture(Span span, String attributeKey, String payload) {}

  @Override
  public void capture(Span span, String attributeKey, JsonNode payload) {}

  @Override
  public void capture(Span span, List<String> attributeKeys, JsonNode payload) {}
}
