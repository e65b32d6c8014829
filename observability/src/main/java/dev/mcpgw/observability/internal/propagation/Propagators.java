package dev.mcpgw.observability.internal.propagation;

import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.extension.trace.propagation.B3Propagator;
import io.opentelemetry.extension.trace.propagation.JaegerPropagator;
import io.opentelemetry.extension.trace.propagation.OtTracePropagator;
import java.util.ArrayList;
import java.util.List;

/** Builds one composite propagator from configuration names, in the order given. */
public final class Propagators {

  private Propagators() {}

  /**
   * @param names tracecontext, baggage, b3 (single header), b3multi, jaeger, ottrace, or none; validated by the
   *     configuration loader
   */
  @SuppressWarnings("deprecation") // Jaeger and OT trace propagators are deprecated upstream but still what users send
  public static TextMapPropagator create(List<String> names) {
    List<TextMapPropagator> propagators = new ArrayList<>();
    for (String name : names) {
      switch (name) {
        case "tracecontext" -> propagators.add(W3CTraceContextPropagator.getInstance());
        case "baggage" -> propagators.add(W3CBaggagePropagator.getInstance());
        case "b3" -> propagators.add(B3Propagator.injectingSingleHeader());
        case "b3multi" -> propagators.add(B3Propagator.injectingMultiHeaders());
        case "jaeger" -> propagators.add(JaegerPropagator.getInstance());
        case "ottrace" -> propagators.add(OtTracePropagator.getInstance());
        case "none" -> { }
        default -> throw new IllegalArgumentException("unknown propagator '" + name
            + "'; allowed: tracecontext, baggage, b3, b3multi, jaeger, ottrace, none");
      }
    }
    return propagators.isEmpty() ? TextMapPropagator.noop() : TextMapPropagator.composite(propagators);
  }
}
