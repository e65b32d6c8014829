package dev.mcpgw.gateway.spanstore;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.trace.data.EventData;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The text of one trace chunk (columns {@code span_traces.spans} and {@code span_chunks.spans}), a JSON array. The
 * trace id and the tenant are the chunk row's. A span's user, request id, tool, upstream and method are not in it as
 * columns: they come from its attributes, and the trace's line and request ids hold what is searched (ADR 0032).
 *
 * <p>Since ADR 0035 a chunk starts with its version, {@code 2}, then one array per span: {@code [spanId,
 * parentSpanId, name, kind, startNs, durationNs, status, service, attributes, events]}. Attributes are an object
 * whose keys that the gateway writes on every call are short codes ({@code "~"} and the key's index in
 * {@link #KEYS}, in base 36; a key of its own that starts with {@code ~} gets a second one); events are arrays
 * {@code [name, nanoseconds after the span's start, attributes]}. A {@code tools/call} chunk is a third shorter than
 * with its keys spelt out, and every byte of it is copied, logged and checkpointed by the database.
 *
 * <p>Chunks written before (V6 to V8) have no version: their spans' attributes and events are the JSON the span
 * store gives out, and V6 and V7 have five more values between status and service. They decode as well.
 *
 * <p>An instance writes: the elements of spans on the batch processor's thread ({@link FinishedSpans}), or chunks of
 * elements on the writer's. Not thread-safe: one per thread. Decoding is static.
 */
final class ChunkCodec {
  static final int VERSION = 2;
  private static final JsonFactory JSON = new JsonFactory();
  /**
   * The attribute keys that chunks hold as codes, a code being the index here. Stored chunks depend on it: append
   * only, never reorder or remove.
   */
  static final List<String> KEYS = List.of(
      "mcp.method.name", "request.id", "user.id", "tenant.id", "mcp.session.id", "mcp.protocol.version",
      "jsonrpc.request.id", "gen_ai.operation.name", "gen_ai.tool.name", "tool.name", "tool.id",
      "mcpgw.upstream.name", "server.address", "server.port", "network.protocol.name", "network.transport",
      "mcpgw.upstream.transport", "mcpgw.circuit_breaker.state", "peer.service", "http.request.method", "url.path",
      "url.scheme", "client.address", "network.protocol.version", "http.route", "http.response.status_code",
      "openinference.span.kind", "mcpgw.tool.tokens.encoding", "mcpgw.tool.arguments.tokens",
      "mcpgw.tool.result.tokens", "gateway.id", "gateway.name", "error.type", "exception.type", "exception.message",
      "exception.stacktrace", "user_agent.original", "http.request.header.x-request-id", "jsonrpc.protocol.version",
      "rpc.response.status_code", "mcp.resource.uri", "gen_ai.prompt.name", "gen_ai.tool.call.id",
      "gen_ai.tool.call.arguments", "gen_ai.tool.call.result", "gen_ai.request.model", "gen_ai.response.model",
      "gen_ai.usage.input_tokens", "gen_ai.usage.output_tokens", "gen_ai.request.max_tokens", "mcpgw.retry.count",
      "retry.attempt", "retry.backoff_ms", "plugin.name", "plugin.hook", "plugin.mode", "plugin.priority",
      "plugin.outcome", "plugin.modified", "plugin.reason", "db.system.name", "db.operation.name",
      "db.collection.name", "mcpgw.auth.result", "mcpgw.auth.reason", "mcpgw.auth.issuer", "mcpgw.transport",
      "mcpgw.batch.size", "mcpgw.batch.failed", "mcpgw.usage.cost", "mcpgw.usage.currency", "mcpgw.usage.estimated",
      "input.value", "output.value", "url.full", "server.id", "thread.name", "mcpgw.session.end_reason",
      "resource.uri", "resource.mime_type", "resource.size", "prompt.id", "prompt.name", "quota.id");
  private static final Map<String, String> CODES = new HashMap<>();

  static {
    for (int i = 0; i < KEYS.size(); i++) {
      CODES.put(KEYS.get(i), "~" + Integer.toString(i, 36));
    }
  }

  private final StringBuilder buffer = new StringBuilder(1024);

  /** The element of one span: what a chunk holds of it (see above). */
  String element(String spanId, String parentSpanId, String name, String kind, long startNs, long durationNs,
      String status, String service, Attributes attributes, List<EventData> events) {
    StringBuilder b = buffer;
    b.setLength(0);
    b.append('[');
    string(b, spanId).append(',');
    string(b, parentSpanId).append(',');
    string(b, name).append(',');
    string(b, kind).append(',');
    b.append(startNs).append(',').append(durationNs).append(',');
    string(b, status).append(',');
    string(b, service).append(',');
    attributes(b, attributes).append(",[");
    for (int i = 0; i < events.size(); i++) {
      EventData e = events.get(i);
      if (i > 0) {
        b.append(',');
      }
      b.append('[');
      string(b, e.getName()).append(',').append(e.getEpochNanos() - startNs).append(',');
      attributes(b, e.getAttributes()).append(']');
    }
    return b.append("]]").toString();
  }

  /** The chunk of {@code spans}' elements. */
  String chunk(List<FinishedSpan> spans) {
    StringBuilder b = buffer;
    b.setLength(0);
    b.append('[').append(VERSION);
    for (int i = 0; i < spans.size(); i++) {
      b.append(',').append(spans.get(i).element());
    }
    return b.append(']').toString();
  }

  private static StringBuilder attributes(StringBuilder b, Attributes attributes) {
    b.append('{');
    if (!attributes.isEmpty()) {
      int open = b.length(); // past the brace: a comma goes before every attribute but the first
      attributes.forEach((key, value) -> {
        if (b.length() > open) {
          b.append(',');
        }
        String k = key.getKey();
        String code = CODES.get(k);
        string(b, code != null ? code : k.startsWith("~") ? "~" + k : k).append(':');
        value(b, value);
      });
    }
    return b.append('}');
  }

  /** An attribute value as the SDK holds it: a string, boolean, long, double, or a list of them. */
  private static void value(StringBuilder b, Object v) {
    switch (v) {
      case String s -> string(b, s);
      case Boolean x -> b.append(x.booleanValue());
      case Long x -> b.append(x.longValue());
      case Double x -> {
        if (Double.isFinite(x)) {
          b.append(x.doubleValue());
        } else {
          string(b, x.toString()); // JSON has no NaN or Infinity
        }
      }
      case List<?> list -> {
        b.append('[');
        for (int i = 0; i < list.size(); i++) {
          if (i > 0) {
            b.append(',');
          }
          value(b, list.get(i));
        }
        b.append(']');
      }
      case null -> b.append("null");
      default -> string(b, v.toString());
    }
  }

  /** {@code s} as a JSON string (or null), escaped as JSON requires; most values need no escape and go in whole. */
  private static StringBuilder string(StringBuilder b, String s) {
    if (s == null) {
      return b.append("null");
    }
    b.append('"');
    int n = s.length();
    int from = 0;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c != '"' && c != '\\') {
        continue;
      }
      b.append(s, from, i);
      from = i + 1;
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> b.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
      }
    }
    return b.append(s, from, n).append('"');
  }

  /**
   * The spans of a chunk of {@code traceId}, stored with {@code tenantId} (null for none), with attributes and events
   * as the span store gives them out (JSON, keys spelt out, events as objects); their user, request id, tool,
   * upstream and method are null (see above).
   */
  static List<SpanRow> decode(String traceId, String tenantId, String text) {
    List<SpanRow> out = new ArrayList<>();
    try (JsonParser p = JSON.createParser(text)) {
      expect(p.nextToken(), JsonToken.START_ARRAY);
      JsonToken t = p.nextToken();
      if (t == JsonToken.VALUE_NUMBER_INT) {
        if (p.getIntValue() != VERSION) {
          throw new IOException("span chunk: unknown version " + p.getText());
        }
        while (p.nextToken() == JsonToken.START_ARRAY) {
          out.add(span(p, traceId, tenantId));
        }
      } else {
        while (t == JsonToken.START_ARRAY) {
          out.add(unversioned(p, text, traceId, tenantId));
          t = p.nextToken();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** A span of a chunk with a version, its attributes' keys spelt out and its events as objects again. */
  private static SpanRow span(JsonParser p, String traceId, String tenantId) throws IOException {
    Head h = Head.read(p);
    String service = next(p);
    expect(p.nextToken(), JsonToken.START_OBJECT);
    StringWriter attributes = new StringWriter(256);
    try (JsonGenerator g = JSON.createGenerator(attributes)) {
      attributes(p, g);
    }
    expect(p.nextToken(), JsonToken.START_ARRAY);
    StringWriter events = new StringWriter(64);
    try (JsonGenerator g = JSON.createGenerator(events)) {
      g.writeStartArray();
      while (p.nextToken() == JsonToken.START_ARRAY) {
        g.writeStartObject();
        g.writeStringField("name", next(p));
        p.nextToken();
        g.writeNumberField("timeNs", h.start + p.getLongValue());
        expect(p.nextToken(), JsonToken.START_OBJECT);
        g.writeFieldName("attributes");
        attributes(p, g);
        expect(p.nextToken(), JsonToken.END_ARRAY);
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    expect(p.nextToken(), JsonToken.END_ARRAY);
    return h.row(traceId, tenantId, service, attributes.toString(), events.toString());
  }

  /** The attributes object at the parser (its start read), copied to {@code g} with its keys spelt out. */
  private static void attributes(JsonParser p, JsonGenerator g) throws IOException {
    g.writeStartObject();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      g.writeFieldName(key(p.currentName()));
      p.nextToken();
      g.copyCurrentStructure(p);
    }
    g.writeEndObject();
  }

  /** The attribute key that {@code stored} stands for. */
  static String key(String stored) {
    if (stored.isEmpty() || stored.charAt(0) != '~') {
      return stored;
    }
    if (stored.length() > 1 && stored.charAt(1) == '~') {
      return stored.substring(1);
    }
    try {
      int code = Integer.parseInt(stored, 1, stored.length(), 36);
      return code >= 0 && code < KEYS.size() ? KEYS.get(code) : stored;
    } catch (NumberFormatException e) {
      return stored;
    }
  }

  /** A span of a chunk without a version (V6 to V8), whose first token has been read. */
  private static SpanRow unversioned(JsonParser p, String text, String traceId, String tenantId) throws IOException {
    Head h = Head.read(p);
    // the service is the last value before the attributes (V6 and V7 chunks have five more before it)
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
    return h.row(traceId, tenantId, service, attributes, events);
  }

  /** The values every layout starts a span with. */
  private record Head(String spanId, String parent, String name, String kind, long start, long duration,
      String status) {
    static Head read(JsonParser p) throws IOException {
      String spanId = next(p);
      String parent = next(p);
      String name = next(p);
      String kind = next(p);
      p.nextToken();
      long start = p.getLongValue();
      p.nextToken();
      return new Head(spanId, parent, name, kind, start, p.getLongValue(), next(p));
    }

    SpanRow row(String traceId, String tenantId, String service, String attributes, String events) {
      return new SpanRow(traceId, spanId, parent, parent == null, name, kind, start, duration, status, tenantId, null,
          null, null, null, null, service, attributes, events);
    }
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
