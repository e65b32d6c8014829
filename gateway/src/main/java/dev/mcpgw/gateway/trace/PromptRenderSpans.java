package dev.mcpgw.gateway.trace;

import dev.mcpgw.gateway.catalog.RenderObserver;
import dev.mcpgw.observability.semconv.GatewayAttributes;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;

/**
 * Puts what the renderer reports on the current {@code prompt.render} span: cache hit or miss, variables substituted,
 * and, on a miss, an event for the template compile with its duration.
 */
enum PromptRenderSpans implements RenderObserver {
  INSTANCE;

  @Override
  public void rendered(boolean cacheHit, long compileNanos, int variables, int outputChars) {
    Span span = Span.current();
    span.setAttribute(GatewayAttributes.PROMPT_TEMPLATE_CACHE_HIT, cacheHit);
    span.setAttribute(GatewayAttributes.PROMPT_VARIABLES_COUNT, (long) variables);
    if (!cacheHit) {
      span.setAttribute(GatewayAttributes.PROMPT_TEMPLATE_COMPILE_NANOS, compileNanos);
      span.addEvent(GatewayAttributes.EVENT_PROMPT_TEMPLATE_COMPILED,
          Attributes.of(GatewayAttributes.PROMPT_TEMPLATE_COMPILE_NANOS, compileNanos));
    }
  }
}
