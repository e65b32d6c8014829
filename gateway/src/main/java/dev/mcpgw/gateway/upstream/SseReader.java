package dev.mcpgw.gateway.upstream;

import dev.mcpgw.gateway.jsonrpc.MessageJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Reads a {@code text/event-stream} body event by event (the WHATWG format: data, event, id and retry fields). */
final class SseReader {

  /** One dispatched event. {@code id} is the last event id seen on the stream so far, {@code null} if none. */
  record Event(String name, String data, String id) {}

  /**
   * Room for a typical answer; it grows for longer lines. Small on purpose: a reader per upstream answer, and the
   * 8 KiB byte and 8 Ki-char buffers of a {@code BufferedReader} over an {@code InputStreamReader} were a fifth of the
   * gateway's allocation per {@code tools/call} (docs/performance.md).
   */
  private static final int INITIAL_BUFFER = 1024;
  /**
   * The most an event's data (or one line) may hold, in bytes or characters: the longest JSON document the gateway
   * parses. An upstream that streams an endless line or event fails its stream instead of filling the heap.
   */
  static final int MAX_EVENT = (int) MessageJson.MAX_DOCUMENT_LENGTH;

  private final InputStream in;
  private byte[] buffer = new byte[INITIAL_BUFFER];
  private int position;
  private int limit;
  /** The previous line ended with CR: an LF right after it belongs to that line's end. */
  private boolean skipLf;
  private String lastEventId;
  private Long retryMillis;

  SseReader(InputStream body) {
    this.in = body;
  }

  /** The next event with data, or {@code null} at the end of the stream. */
  Event next() throws IOException {
    StringBuilder data = null;
    String name = null;
    String line;
    while ((line = readLine()) != null) {
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
          if (data != null && data.length() + 1L + value.length() > MAX_EVENT) {
            throw new IOException("an event of the stream exceeds " + MAX_EVENT + " characters");
          }
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

  /**
   * The next line without its end (CRLF, LF or CR, as the format allows), decoded as UTF-8 once whole; the last line
   * of a stream that ends without a line end counts too. {@code null} at the end of the stream.
   */
  private String readLine() throws IOException {
    int scanned = 0; // bytes after position known to hold no line end
    while (true) {
      if (skipLf && position < limit) {
        skipLf = false;
        if (buffer[position] == '\n') {
          position++;
        }
      }
      for (int i = position + scanned; i < limit; i++) {
        byte b = buffer[i];
        if (b == '\n' || b == '\r') { // never inside a UTF-8 sequence: its bytes are all 0x80 and above
          String line = new String(buffer, position, i - position, StandardCharsets.UTF_8);
          position = i + 1;
          skipLf = b == '\r';
          return line;
        }
      }
      scanned = limit - position;
      if (!fill()) {
        skipLf = false;
        if (position == limit) {
          return null;
        }
        String rest = new String(buffer, position, limit - position, StandardCharsets.UTF_8);
        position = limit;
        return rest;
      }
    }
  }

  /** Reads more bytes, keeping the unread ones (moved to the front, or into a larger buffer); false at the end. */
  private boolean fill() throws IOException {
    if (position > 0) {
      System.arraycopy(buffer, position, buffer, 0, limit - position);
      limit -= position;
      position = 0;
    }
    if (limit == buffer.length) {
      if (buffer.length >= MAX_EVENT) {
        throw new IOException("a line of the stream exceeds " + MAX_EVENT + " bytes");
      }
      buffer = Arrays.copyOf(buffer, (int) Math.min((long) buffer.length * 2, MAX_EVENT));
    }
    int n = in.read(buffer, limit, buffer.length - limit);
    if (n < 0) {
      return false;
    }
    limit += n;
    return true;
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
