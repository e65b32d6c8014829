package dev.mcpgw.gateway.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.spanstore.SpanRow;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A stored trace as the API answers it: the console's shape, or OTLP JSON that Jaeger and Tempo import. */
final class TraceJson {
  static final ObjectMapper JSON = new ObjectMapper();

  private TraceJson() {}

  static ObjectNode console(String traceId, List<SpanRow> spans) {
    ObjectNode out = JSON.createObjectNode().put("traceId", traceId);
    ArrayNode list = out.putArray("spans");
    for (SpanRow s : spans) {
      ObjectNode n = list.addObject();
      n.put("spanId", s.spanId());
      n.put("parentSpanId", s.parentSpanId());
      n.put("name", s.name());
      n.put("kind", s.kind());
      n.put("start", dev.mcpgw.gateway.console.Times.iso(s.startNs()));
      n.put("startNs", s.startNs());
      n.put("durationMs", s.durationNs() / 1_000_000.0);
      n.put("status", s.status());
      n.put("service", s.service());
      n.set("attributes", parse(s.attributes(), JSON.createObjectNode()));
      n.set("events", parse(s.events(), JSON.createArrayNode()));
    }
    return out;
  }

  /** OTLP/JSON ({@code ExportTraceServiceRequest}): one resourceSpans per service, ids in hex, times as strings. */
  static ObjectNode otlp(List<SpanRow> spans) {
    Map<String, ArrayNode> byService = new LinkedHashMap<>();
    ObjectNode root = JSON.createObjectNode();
    ArrayNode resourceSpans = root.putArray("resourceSpans");
    for (SpanRow s : spans) {
      String service = s.service() == null ? "mcpgw" : s.service();
      ArrayNode target = byService.computeIfAbsent(service, name -> {
        ObjectNode rs = resourceSpans.addObject();
        ArrayNode attrs = rs.putObject("resource").putArray("attributes");
        attrs.add(attribute("service.name", JSON.getNodeFactory().textNode(name)));
        ObjectNode scope = rs.putArray("scopeSpans").addObject();
        scope.putObject("scope").put("name", "dev.mcpgw");
        return scope.putArray("spans");
      });
      ObjectNode n = target.addObject();
      n.put("traceId", s.traceId());
      n.put("spanId", s.spanId());
      if (s.parentSpanId() != null) {
        n.put("parentSpanId", s.parentSpanId());
      }
      n.put("name", s.name());
      n.put("kind", kind(s.kind()));
      n.put("startTimeUnixNano", Long.toString(s.startNs()));
      n.put("endTimeUnixNano", Long.toString(s.startNs() + s.durationNs()));
      n.set("attributes", attributes(parse(s.attributes(), JSON.createObjectNode())));
      ArrayNode events = n.putArray("events");
      for (JsonNode e : parse(s.events(), JSON.createArrayNode())) {
        ObjectNode en = events.addObject();
        en.put("timeUnixNano", e.path("timeNs").asText("0"));
        en.put("name", e.path("name").asText());
        en.set("attributes", attributes(e.path("attributes")));
      }
      n.putObject("status").put("code", s.failed() ? 2 : 0);
    }
    return root;
  }

  private static ArrayNode attributes(JsonNode object) {
    ArrayNode out = JSON.createArrayNode();
    Iterator<Map.Entry<String, JsonNode>> it = object.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      out.add(attribute(e.getKey(), e.getValue()));
    }
    return out;
  }

  private static ObjectNode attribute(String key, JsonNode value) {
    ObjectNode a = JSON.createObjectNode().put("key", key);
    a.set("value", anyValue(value));
    return a;
  }

  private static ObjectNode anyValue(JsonNode v) {
    ObjectNode out = JSON.createObjectNode();
    if (v.isBoolean()) {
      out.put("boolValue", v.booleanValue());
    } else if (v.isIntegralNumber()) {
      out.put("intValue", v.asText());
    } else if (v.isNumber()) {
      out.put("doubleValue", v.doubleValue());
    } else if (v.isArray()) {
      ArrayNode values = out.putObject("arrayValue").putArray("values");
      v.forEach(x -> values.add(anyValue(x)));
    } else {
      out.put("stringValue", v.asText());
    }
    return out;
  }

  private static int kind(String kind) {
    return switch (kind) {
      case "INTERNAL" -> 1;
      case "SERVER" -> 2;
      case "CLIENT" -> 3;
      case "PRODUCER" -> 4;
      case "CONSUMER" -> 5;
      default -> 0;
    };
  }

  static JsonNode parse(String text, JsonNode fallback) {
    if (text == null) {
      return fallback;
    }
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      return fallback;
    }
  }
}
