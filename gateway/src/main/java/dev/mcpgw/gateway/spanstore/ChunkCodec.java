package dev.mcpgw.gateway.spanstore;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The text of one trace chunk (column {@code span_chunks.spans}): a JSON array with one array per span,
 * {@code [spanId, parentSpanId, name, kind, startNs, durationNs, status, user, requestId, tool, upstream, method,
 * service, attributes, events]}, attributes (an object) and events (an array) as the JSON {@link SpanRows} made,
 * inline. The trace id and the
 * tenant are the chunk row's. Not thread-safe: one per writer.
 */
final class ChunkCodec {
  private static final JsonFactory JSON = new JsonFactory();
  private final StringWriter buffer = new StringWriter(4096);

  String encode(List<SpanRow> rows) {
    buffer.getBuffer().setLength(0);
    try (JsonGenerator g = JSON.createGenerator(buffer)) {
      g.writeStartArray();
      for (SpanRow r : rows) {
        g.writeStartArray();
        g.writeString(r.spanId());
        g.writeString(r.parentSpanId());
        g.writeString(r.name());
        g.writeString(r.kind());
        g.writeNumber(r.startNs());
        g.writeNumber(r.durationNs());
        g.writeString(r.status());
        g.writeString(r.userId());
        g.writeString(r.requestId());
        g.writeString(r.toolName());
        g.writeString(r.upstream());
        g.writeString(r.method());
        g.writeString(r.service());
        // already JSON (SpanRows made it): written as it is, not escaped again
        g.writeRawValue(r.attributes());
        g.writeRawValue(r.events());
        g.writeEndArray();
      }
      g.writeEndArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return buffer.toString();
  }

  /** The spans of a chunk of {@code traceId}, stored with {@code tenantId} (null for none). */
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
        String user = next(p);
        String request = next(p);
        String tool = next(p);
        String upstream = next(p);
        String method = next(p);
        String service = next(p);
        String attributes = raw(p, text);
        String events = raw(p, text);
        expect(p.nextToken(), JsonToken.END_ARRAY);
        out.add(new SpanRow(traceId, spanId, parent, parent == null, name, kind, start, duration, status, tenantId,
            user, request, tool, upstream, method, service, attributes, events));
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

  /** The next value (an object or array) as the JSON text it is in {@code text}. */
  private static String raw(JsonParser p, String text) throws IOException {
    p.nextToken();
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
