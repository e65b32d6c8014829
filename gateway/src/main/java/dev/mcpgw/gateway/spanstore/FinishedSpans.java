package dev.mcpgw.gateway.spanstore;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;

/**
 * Turns the SDK's {@link SpanData} into {@link FinishedSpan}s: the filterable attributes copied out, and the span
 * written as its element of a chunk, straight from the SDK's objects ({@link ChunkCodec}). Runs on the batch
 * processor's thread. Not thread-safe: one per exporter, whose {@code export} the SDK never calls concurrently.
 */
final class FinishedSpans {
  private static final AttributeKey<String> SERVICE = AttributeKey.stringKey("service.name");
  private static final AttributeKey<String> TOOL = AttributeKey.stringKey("tool.name");
  private static final AttributeKey<String> GEN_AI_TOOL = AttributeKey.stringKey("gen_ai.tool.name");
  private static final AttributeKey<String> TENANT = AttributeKey.stringKey("tenant.id");
  private static final AttributeKey<String> USER = AttributeKey.stringKey("user.id");
  private static final AttributeKey<String> REQUEST = AttributeKey.stringKey("request.id");
  private static final AttributeKey<String> UPSTREAM = AttributeKey.stringKey("mcpgw.upstream.name");
  private static final AttributeKey<String> METHOD = AttributeKey.stringKey("mcp.method.name");
  private static final int MAX_COLUMN = 256;

  private final ChunkCodec codec = new ChunkCodec();

  FinishedSpan of(SpanData span) {
    Attributes a = span.getAttributes();
    SpanContext parent = span.getParentSpanContext();
    String tool = text(a, TOOL);
    if (tool == null && span.getKind() == SpanKind.SERVER) {
      // the exposed name; a CLIENT span's gen_ai.tool.name is the upstream's own name for the tool
      tool = text(a, GEN_AI_TOOL);
    }
    String parentId = parent.isValid() ? parent.getSpanId() : null;
    String name = clip(span.getName(), 512);
    String kind = span.getKind().name();
    long start = span.getStartEpochNanos();
    long duration = Math.max(0, span.getEndEpochNanos() - start);
    boolean failed = span.getStatus().getStatusCode() == StatusCode.ERROR;
    String service = span.getResource() == null ? null : clip(span.getResource().getAttribute(SERVICE), MAX_COLUMN);
    return new FinishedSpan(span.getTraceId(), span.getSpanId(), parentId, !parent.isValid() || parent.isRemote(),
        name, kind, start, duration, failed, clip(text(a, TENANT), 64), text(a, USER), text(a, REQUEST), tool,
        text(a, UPSTREAM), clip(text(a, METHOD), 128),
        codec.element(span.getSpanId(), parentId, name, kind, start, duration, failed ? "error" : "ok", service, a,
            span.getEvents()));
  }

  private static String text(Attributes attributes, AttributeKey<String> key) {
    return clip(attributes.get(key), MAX_COLUMN);
  }

  private static String clip(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max);
  }
}
