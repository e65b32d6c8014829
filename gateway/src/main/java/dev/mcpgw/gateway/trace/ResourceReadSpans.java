package dev.mcpgw.gateway.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.mcp.Exchange;
import dev.mcpgw.gateway.mcp.MessageDispatch;
import dev.mcpgw.observability.Observability;
import dev.mcpgw.observability.SpanScope;
import dev.mcpgw.observability.semconv.GatewayAttributes;
import dev.mcpgw.observability.semconv.McpAttributes;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;

/**
 * The {@code resource.read} INTERNAL span of a {@code resources/read}, inside its MCP SERVER span: the URI, and from
 * the answer the MIME type, the number of contents and their size, whether the resource is local or read upstream
 * (the plugin hooks and the upstream CLIENT span are its children). Other messages pass straight through.
 */
final class ResourceReadSpans implements MessageDispatch {
  private static final String METHOD = "resources/read";

  private final MessageDispatch next;
  private final Observability observability;

  ResourceReadSpans(MessageDispatch next, Observability observability) {
    this.next = next;
    this.observability = observability;
  }

  @Override
  public ObjectNode dispatch(ObjectNode message, Exchange exchange) {
    JsonNode method = message.get("method");
    if (method == null || !METHOD.equals(method.textValue()) || message.get("id") == null) {
      return next.dispatch(message, exchange);
    }
    String uri = message.path("params").path("uri").asText("");
    try (SpanScope read = observability.span(GatewayAttributes.SPAN_RESOURCE_READ,
        Attributes.of(GatewayAttributes.RESOURCE_URI, uri, McpAttributes.MCP_RESOURCE_URI, uri))) {
      ObjectNode response = next.dispatch(message, exchange);
      describe(read.span(), response);
      return response;
    }
  }

  private static void describe(Span span, ObjectNode response) {
    try {
      JsonNode error = response == null ? null : response.get("error");
      if (error != null) {
        span.setAttribute(McpAttributes.ERROR_TYPE, error.path("code").asText());
        span.setStatus(StatusCode.ERROR, error.path("message").asText());
        return;
      }
      JsonNode contents = response == null ? null : response.path("result").path("contents");
      if (contents == null || !contents.isArray()) {
        return;
      }
      long size = 0;
      String mime = null;
      for (JsonNode c : contents) {
        if (mime == null && c.path("mimeType").isTextual()) {
          mime = c.get("mimeType").textValue();
        }
        if (c.path("text").isTextual()) {
          size += c.get("text").textValue().length();
        } else if (c.path("blob").isTextual()) {
          // base64: three bytes per four characters, less the padding
          String blob = c.get("blob").textValue();
          size += blob.length() / 4L * 3 - (blob.endsWith("==") ? 2 : blob.endsWith("=") ? 1 : 0);
        }
      }
      span.setAttribute(GatewayAttributes.RESOURCE_CONTENTS_COUNT, (long) contents.size());
      span.setAttribute(GatewayAttributes.RESOURCE_SIZE, size);
      if (mime != null) {
        span.setAttribute(GatewayAttributes.RESOURCE_MIME_TYPE, mime);
      }
    } catch (RuntimeException e) {
      // telemetry only: the answer stands
    }
  }
}
