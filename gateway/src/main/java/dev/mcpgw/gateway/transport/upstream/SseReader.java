package dev.mcpgw.gateway.transport.upstream;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** Reads a {@code text/event-stream} body event by event (the WHATWG format: data, event, id and retry fields). */
final class SseReader {

  /** One dispatched event. {@code id} is the last event id seen on the stream so far, {@code null} if none. */
  record Event(String name, String data, String id) {}

  private final BufferedReader in;
  private String lastEventId;
  private Long retryMillis;

  SseReader(InputStream body) {
    this.in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
  }

  /** The next event with data, or {@code null} at the end of the stream. */
  Event next() throws IOException {
    StringBuilder data = null;
    String name = null;
    String line;
    while ((line = in.readLine()) != null) {
      if (line.isEmpty()) {
        if (data != null) {
          return new Event(name == null ? "message" : name, data.toString(), lastEventId);
        }
        name = null;
        continue;
      }
      if (line.startsWith(":")) {
        continue; // comment, used as keep-alive
      }
      int colon = line.indexOf(':');
      String field = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(colon + 1);
      if (value.startsWith(" ")) {
        value = value.substring(1);
      }
      switch (field) {
        case "data" -> {
          if (data == null) {
            data = new StringBuilder(value);
          } else {
            data.append('\n').append(value);
          }
        }
        case "event" -> name = value;
        case "id" -> {
          if (value.indexOf('\0') < 0) {
            lastEventId = value;
          }
        }
        case "retry" -> {
          try {
            retryMillis = Long.parseLong(value.trim());
          } catch (NumberFormatException e) {
            // ignored, as the format requires
          }
        }
        default -> { } // unknown fields are ignored
      }
    }
    return null;
  }

  /** The id of the last event read, for {@code Last-Event-ID} when resuming. */
  String lastEventId() {
    return lastEventId;
  }

  /** The reconnection delay the server asked for, or {@code null}. */
  Long retryMillis() {
    return retryMillis;
  }
}
