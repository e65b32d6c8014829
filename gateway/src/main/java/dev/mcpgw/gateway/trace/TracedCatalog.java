package dev.mcpgw.gateway.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.catalog.Catalog;
import dev.mcpgw.gateway.catalog.CatalogEntry;
import dev.mcpgw.gateway.catalog.Scope;
import dev.mcpgw.observability.Observability;
import dev.mcpgw.observability.SpanScope;
import dev.mcpgw.observability.semconv.GatewayAttributes;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import java.util.List;
import java.util.Optional;

/**
 * The catalog as the MCP path sees it, with the gateway's own steps as INTERNAL spans: {@code tool.lookup} (finding
 * the tool a call names and checking it can be called: event {@code tool.validation.completed}, and its
 * {@code tool.id} on the MCP SERVER span too) and {@code prompt.render} (a local prompt's template). Listings are
 * cached reads and pass straight through.
 */
final class TracedCatalog implements Catalog {
  private final Catalog catalog;
  private final Observability observability;

  TracedCatalog(Catalog catalog, Observability observability) {
    this.catalog = catalog;
    this.observability = observability;
  }

  @Override
  public Optional<CatalogEntry> tool(Scope scope, String exposedName) {
    Span request = Span.current();
    try (SpanScope lookup = observability.span(GatewayAttributes.SPAN_TOOL_LOOKUP, Attributes.empty())) {
      Optional<CatalogEntry> tool = catalog.tool(scope, exposedName);
      describe(lookup.span(), request, exposedName, tool.orElse(null));
      return tool;
    }
  }

  /** Only spans that record get attributes and events: an unsampled call pays for none of them (ADR 0038). */
  private static void describe(Span lookup, Span request, String exposedName, CatalogEntry tool) {
    try {
      if (lookup.isRecording()) {
        if (tool == null) {
          lookup.setAttribute(GatewayAttributes.TOOL_NAME, exposedName);
          lookup.setStatus(StatusCode.ERROR, "unknown tool");
          return;
        }
        // Set one by one: an Attributes object built first would be sorted and allocated only to be copied.
        lookup.setAttribute(GatewayAttributes.TOOL_NAME, tool.exposedName());
        lookup.setAttribute(GatewayAttributes.TOOL_ID, tool.id());
        if (!tool.isLocal()) {
          lookup.setAttribute(GatewayAttributes.GATEWAY_ID, tool.gatewayId());
          lookup.setAttribute(GatewayAttributes.GATEWAY_NAME, tool.gatewayName());
        }
        // The event marks when validation ended, as docs/trace-shape.md shows it; what was found is on the span
        // already, and repeating it on the event would only make every call's trace bigger.
        lookup.addEvent(GatewayAttributes.EVENT_TOOL_VALIDATION_COMPLETED);
      }
      if (tool != null && request.isRecording()) {
        // queries read tool.id and the validation event off the MCP span as well (docs/trace-shape.md)
        request.setAttribute(GatewayAttributes.TOOL_ID, tool.id());
        request.addEvent(GatewayAttributes.EVENT_TOOL_VALIDATION_COMPLETED);
      }
    } catch (RuntimeException e) {
      // telemetry only: the lookup's answer stands
    }
  }

  @Override
  public ObjectNode renderLocalPrompt(CatalogEntry prompt, ObjectNode arguments) {
    try (SpanScope render = observability.span(GatewayAttributes.SPAN_PROMPT_RENDER,
        Attributes.of(GatewayAttributes.PROMPT_NAME, prompt.exposedName(), GatewayAttributes.PROMPT_ID, prompt.id()))) {
      ObjectNode result;
      try {
        result = catalog.renderLocalPrompt(prompt, arguments);
      } catch (RuntimeException e) {
        render.recordException(e);
        throw e;
      }
      describeRendering(render.span(), result);
      return result;
    }
  }

  private static void describeRendering(Span span, ObjectNode result) {
    try {
      JsonNode messages = result.path("messages");
      long chars = 0;
      for (JsonNode m : messages) {
        chars += m.path("content").path("text").asText("").length();
      }
      span.setAttribute(GatewayAttributes.PROMPT_MESSAGES_COUNT, (long) messages.size());
      span.setAttribute(GatewayAttributes.PROMPT_MESSAGES_CHARS, chars);
    } catch (RuntimeException e) {
      // telemetry only
    }
  }

  @Override
  public List<CatalogEntry> tools(Scope scope) {
    return catalog.tools(scope);
  }

  @Override
  public List<CatalogEntry> prompts(Scope scope) {
    return catalog.prompts(scope);
  }

  @Override
  public Optional<CatalogEntry> prompt(Scope scope, String exposedName) {
    return catalog.prompt(scope, exposedName);
  }

  @Override
  public List<CatalogEntry> resources(Scope scope) {
    return catalog.resources(scope);
  }

  @Override
  public Optional<CatalogEntry> resource(Scope scope, String uri) {
    return catalog.resource(scope, uri);
  }

  @Override
  public List<CatalogEntry> resourceTemplates(Scope scope) {
    return catalog.resourceTemplates(scope);
  }

  @Override
  public boolean serverExists(String serverId) {
    return catalog.serverExists(serverId);
  }

  @Override
  public boolean serverVisible(Scope scope) {
    return catalog.serverVisible(scope);
  }

  @Override
  public ObjectNode readLocalResource(CatalogEntry resource) {
    return catalog.readLocalResource(resource);
  }
}
