package dev.mcpgw.gateway.spanstore;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns the SDK's {@link SpanData} into {@link SpanRow}s: the filterable attributes copied into columns. */
final class SpanRows {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final AttributeKey<String> SERVICE = AttributeKey.stringKey("service.name");
  private static final int MAX_COLUMN = 256;

  private SpanRows() {}

  static SpanRow of(SpanData span) {
    Attributes a = span.getAttributes();
    SpanContext parent = span.getParentSpanContext();
    String tool = text(a, "tool.name");
    if (tool == null && span.getKind() == SpanKind.SERVER) {
      // the exposed name; a CLIENT span's gen_ai.tool.name is the upstream's own name for the tool
      tool = text(a, "gen_ai.tool.name");
    }
    return new SpanRow(span.getTraceId(), span.getSpanId(), parent.isValid() ? parent.getSpanId() : null,
        !parent.isValid() || parent.isRemote(), clip(span.getName(), 512), span.getKind().name(),
        span.getStartEpochNanos(), Math.max(0, span.getEndEpochNanos() - span.getStartEpochNanos()),
        span.getStatus().getStatusCode() == StatusCode.ERROR ? "error" : "ok",
        clip(text(a, "tenant.id"), 64), text(a, "user.id"), text(a, "request.id"), tool,
        text(a, "mcpgw.upstream.name"), clip(text(a, "mcp.method.name"), 128),
        span.getResource() == null ? null : clip(span.getResource().getAttribute(SERVICE), MAX_COLUMN),
        json(map(a)), json(events(span.getEvents())));
  }

  private static String text(Attributes attributes, String key) {
    Object v = attributes.get(AttributeKey.stringKey(key));
    return v == null ? null : clip(v.toString(), MAX_COLUMN);
  }

  private static String clip(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max);
  }

  static Map<String, Object> map(Attributes attributes) {
    Map<String, Object> out = new LinkedHashMap<>();
    attributes.forEach((k, v) -> out.put(k.getKey(), v));
    return out;
  }

  private static List<Map<String, Object>> events(List<EventData> events) {
    List<Map<String, Object>> out = new ArrayList<>(events.size());
    for (EventData e : events) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", e.getName());
      m.put("timeNs", e.getEpochNanos());
      m.put("attributes", map(e.getAttributes()));
      out.add(m);
    }
    return out;
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      return "{}";
    }
  }
}
