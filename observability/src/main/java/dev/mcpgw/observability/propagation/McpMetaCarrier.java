package dev.mcpgw.observability.propagation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes propagation fields ({@code traceparent}, {@code tracestate}, {@code baggage}, and whatever else
 * the configured propagators use) in the {@code _meta} object of an MCP request's {@code params} (MCP SEP-414).
 * Writing creates {@code _meta} when it is absent. Odd shapes (a {@code _meta} that is not an object, non-text
 * values, null params) are tolerated: reads find nothing, writes are skipped, nothing throws.
 */
public enum McpMetaCarrier implements TextMapGetter<ObjectNode>, TextMapSetter<ObjectNode> {
  INSTANCE;

  /** The field of {@code params} that carries metadata. */
  public static final String META = "_meta";

  /** Extracts context from {@code params._meta} on top of {@code base} (so {@code _meta} wins over headers). */
  public static Context extract(TextMapPropagator propagator, Context base, ObjectNode params) {
    if (params == null) {
      return base;
    }
    try {
      return propagator.extract(base, params, INSTANCE);
    } catch (RuntimeException e) {
      return base;
    }
  }

  /** Injects {@code context} into {@code params._meta}, creating {@code _meta} when absent. */
  public static void inject(TextMapPropagator propagator, Context context, ObjectNode params) {
    if (params == null) {
      return;
    }
    try {
      propagator.inject(context, params, INSTANCE);
    } catch (RuntimeException e) {
      // Telemetry must never break the request: the message goes on without context.
    }
  }

  @Override
  public Iterable<String> keys(ObjectNode params) {
    JsonNode meta = meta(params);
    if (meta == null) {
      return List.of();
    }
    List<String> keys = new ArrayList<>();
    meta.fieldNames().forEachRemaining(keys::add);
    return keys;
  }

  @Override
  public String get(ObjectNode params, String key) {
    JsonNode meta = meta(params);
    if (meta == null || key == null) {
      return null;
    }
    JsonNode value = meta.get(key);
    if (value == null) {
      // Header-style propagators ask for "X-B3-TraceId"; JSON producers may have written any case.
      Iterator<Map.Entry<String, JsonNode>> fields = meta.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> e = fields.next();
        if (e.getKey().equalsIgnoreCase(key)) {
          value = e.getValue();
          break;
        }
      }
    }
    return value != null && value.isTextual() ? value.asText() : null;
  }

  @Override
  public void set(ObjectNode params, String key, String value) {
    if (params == null || key == null || value == null) {
      return;
    }
    JsonNode meta = params.get(META);
    if (meta == null || meta.isNull()) {
      params.putObject(META).put(key, value);
    } else if (meta.isObject()) {
      ((ObjectNode) meta).put(key, value);
    }
    // A non-object _meta is invalid MCP; it is left as the sender wrote it rather than overwritten.
  }

  private static JsonNode meta(ObjectNode params) {
    if (params == null) {
      return null;
    }
    JsonNode meta = params.get(META);
    return meta != null && meta.isObject() ? meta : null;
  }
}
