package dev.mcpgw.gateway.spanstore;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.io.StringWriter;
import java.util.List;

/**
 * Turns the SDK's {@link SpanData} into {@link SpanRow}s: the filterable attributes copied into columns, attributes
 * and events written as JSON text straight from the SDK's objects by a streaming generator into one reused buffer
 * (no intermediate maps, no data binding). Not thread-safe: one per exporter, whose {@code export} the SDK never calls
 * concurrently.
 */
final class SpanRows {
  private static final JsonFactory JSON = new JsonFactory();
  private static final AttributeKey<String> SERVICE = AttributeKey.stringKey("service.name");
  private static final AttributeKey<String> TOOL = AttributeKey.stringKey("tool.name");
  private static final AttributeKey<String> GEN_AI_TOOL = AttributeKey.stringKey("gen_ai.tool.name");
  private static final AttributeKey<String> TENANT = AttributeKey.stringKey("tenant.id");
  private static final AttributeKey<String> USER = AttributeKey.stringKey("user.id");
  private static final AttributeKey<String> REQUEST = AttributeKey.stringKey("request.id");
  private static final AttributeKey<String> UPSTREAM = AttributeKey.stringKey("mcpgw.upstream.name");
  private static final AttributeKey<String> METHOD = AttributeKey.stringKey("mcp.method.name");
  private static final int MAX_COLUMN = 256;

  private final StringWriter buffer = new StringWriter(512);

  SpanRow of(SpanData span) {
    Attributes a = span.getAttributes();
    SpanContext parent = span.getParentSpanContext();
    String tool = text(a, TOOL);
    if (tool == null && span.getKind() == SpanKind.SERVER) {
      // the exposed name; a CLIENT span's gen_ai.tool.name is the upstream's own name for the tool
      tool = text(a, GEN_AI_TOOL);
    }
    return new SpanRow(span.getTraceId(), span.getSpanId(), parent.isValid() ? parent.getSpanId() : null,
        !parent.isValid() || parent.isRemote(), clip(span.getName(), 512), span.getKind().name(),
        span.getStartEpochNanos(), Math.max(0, span.getEndEpochNanos() - span.getStartEpochNanos()),
        span.getStatus().getStatusCode() == StatusCode.ERROR ? "error" : "ok",
        clip(text(a, TENANT), 64), text(a, USER), text(a, REQUEST), tool, text(a, UPSTREAM),
        clip(text(a, METHOD), 128),
        span.getResource() == null ? null : clip(span.getResource().getAttribute(SERVICE), MAX_COLUMN),
        attributes(a), events(span.getEvents()));
  }

  private static String text(Attributes attributes, AttributeKey<String> key) {
    return clip(attributes.get(key), MAX_COLUMN);
  }

  private static String clip(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max);
  }

  private String attributes(Attributes attributes) {
    if (attributes.isEmpty()) {
      return "{}";
    }
    buffer.getBuffer().setLength(0);
    try (JsonGenerator g = JSON.createGenerator(buffer)) {
      write(g, attributes);
    } catch (IOException | RuntimeException e) {
      return "{}";
    }
    return buffer.toString();
  }

  private String events(List<EventData> events) {
    if (events.isEmpty()) {
      return "[]";
    }
    buffer.getBuffer().setLength(0);
    try (JsonGenerator g = JSON.createGenerator(buffer)) {
      g.writeStartArray();
      for (EventData e : events) {
        g.writeStartObject();
        g.writeStringField("name", e.getName());
        g.writeNumberField("timeNs", e.getEpochNanos());
        g.writeFieldName("attributes");
        write(g, e.getAttributes());
        g.writeEndObject();
      }
      g.writeEndArray();
    } catch (IOException | RuntimeException e) {
      return "[]";
    }
    return buffer.toString();
  }

  /** An attribute map as a JSON object: strings, booleans, numbers, and arrays of them, as the SDK holds them. */
  private static void write(JsonGenerator g, Attributes attributes) throws IOException {
    g.writeStartObject();
    attributes.forEach((key, v) -> {
      try {
        g.writeFieldName(key.getKey());
        value(g, v);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    g.writeEndObject();
  }

  private static void value(JsonGenerator g, Object v) throws IOException {
    switch (v) {
      case String s -> g.writeString(s);
      case Boolean b -> g.writeBoolean(b);
      case Long l -> g.writeNumber(l);
      case Double d -> g.writeNumber(d);
      case List<?> list -> {
        g.writeStartArray();
        for (Object item : list) {
          value(g, item);
        }
        g.writeEndArray();
      }
      case null -> g.writeNull();
      default -> g.writeString(v.toString());
    }
  }
}
