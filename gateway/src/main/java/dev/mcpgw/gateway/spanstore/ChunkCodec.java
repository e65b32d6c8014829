package dev.mcpgw.gateway.spanstore;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The text of one trace chunk (columns {@code span_traces.spans} and {@code span_chunks.spans}): a JSON array with one
 * array per span, {@code [spanId, parentSpanId, name, kind, startNs, durationNs, status, service, attributes,
 * events]}, attributes (an object) and events (an array) as the JSON {@link SpanRows} made, inline. The trace id and
 * the tenant are the chunk row's. A span's user, request id, tool, upstream and method are not stored here: they come from its
 * attributes, and the trace's line and request ids hold what is searched (a tenth of the bytes of a {@code tools/call}
 * chunk, ADR 0032). Chunks written before (V6, V7) held them between status and service; they decode as well. Not
 * thread-safe: one per writer.
 */
final class ChunkCodec {
  private static final JsonFactory JSON = new JsonFactory();
  private final StringBuilder buffer = new StringBuilder(4096);

  String encode(List<SpanRow> rows) {
    // by hand into one reused builder: the writer's hottest Java code, and every value but two is a short string
    StringBuilder b = buffer;
    b.setLength(0);
    b.append('[');
    for (int i = 0; i < rows.size(); i++) {
      SpanRow r = rows.get(i);
      if (i > 0) {
        b.append(',');
      }
      b.append('[');
      string(b, r.spanId()).append(',');
      string(b, r.parentSpanId()).append(',');
      string(b, r.name()).append(',');
      string(b, r.kind()).append(',');
      b.append(r.startNs()).append(',').append(r.durationNs()).append(',');
      string(b, r.status()).append(',');
      string(b, r.service()).append(',');
      // already JSON (SpanRows made it): written as it is, not escaped again
      b.append(r.attributes()).append(',').append(r.events()).append(']');
    }
    return b.append(']').toString();
  }

  /** {@code s} as a JSON string (or null), escaped as JSON requires. */
  private static StringBuilder string(StringBuilder b, String s) {
    if (s == null) {
      return b.append("null");
    }
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"');
  }

  /**
   * The spans of a chunk of {@code traceId}, stored with {@code tenantId} (null for none); their user, request id,
   * tool, upstream and method are null (see above).
   */
  static List<SpanRow> decode(String traceId, String tenantId, String text) {
    List<SpanRow> out = new ArrayList<>();
    try (JsonParser p = JSON.createParser(text)) {
      expect(p.nextToken(), JsonToken.START_ARRAY);
      while (p.nextToken() == JsonToken.START_ARRAY) {
        String spanId = next(p);
        String parent = next(p);
        String name = next(p);
        String kind = next(p);
        p.nextToken();
        long start = p.getLongValue();
        p.nextToken();
        long duration = p.getLongValue();
        String status = next(p);
        // the service is the last value before the attributes (older chunks have five more before it)
        String service = null;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.START_OBJECT) {
          if (t == null || !t.isScalarValue()) {
            throw new IOException("span chunk: expected the attributes, got " + t);
          }
          service = t == JsonToken.VALUE_NULL ? null : p.getText();
        }
        String attributes = raw(p, text);
        p.nextToken();
        String events = raw(p, text);
        expect(p.nextToken(), JsonToken.END_ARRAY);
        out.add(new SpanRow(traceId, spanId, parent, parent == null, name, kind, start, duration, status, tenantId,
            null, null, null, null, null, service, attributes, events));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private static String next(JsonParser p) throws IOException {
    JsonToken t = p.nextToken();
    return t == JsonToken.VALUE_NULL ? null : p.getText();
  }

  /** The value (an object or array) that starts at the current token, as the JSON text it is in {@code text}. */
  private static String raw(JsonParser p, String text) throws IOException {
    int from = (int) p.currentTokenLocation().getCharOffset();
    p.skipChildren();
    int to = (int) p.currentLocation().getCharOffset();
    return text.substring(from, to);
  }

  private static void expect(JsonToken got, JsonToken wanted) throws IOException {
    if (got != wanted) {
      throw new IOException("span chunk: expected " + wanted + ", got " + got);
    }
  }
}
