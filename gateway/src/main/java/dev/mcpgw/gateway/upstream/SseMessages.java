package dev.mcpgw.gateway.upstream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgw.gateway.jsonrpc.MessageJson;
import dev.mcpgw.observability.logging.ThrottledLogger;
import org.slf4j.LoggerFactory;

/**
 * The JSON-RPC message an SSE event carries, for both SSE-reading transports (Streamable HTTP and the legacy SSE
 * one): a {@code message} event with data, parsed; other events, priming events with an id alone and data that is
 * not JSON (warned about, throttled) carry none.
 */
final class SseMessages {
  private static final ThrottledLogger WARNINGS = ThrottledLogger.of(LoggerFactory.getLogger(SseMessages.class));

  private SseMessages() {}

  /** The message {@code event} carries from {@code upstream}, or {@code null}. */
  static JsonNode of(SseReader.Event event, String upstream) {
    if (!"message".equals(event.name()) || event.data().isBlank()) {
      return null;
    }
    try {
      return MessageJson.MAPPER.readTree(event.data());
    } catch (JsonProcessingException e) {
      WARNINGS.warn("upstream '{}' sent an event that is not JSON; ignored", upstream);
      return null;
    }
  }
}
