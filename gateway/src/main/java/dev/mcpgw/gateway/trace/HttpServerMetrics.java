package dev.mcpgw.gateway.trace;

import dev.mcpgw.observability.semconv.GatewayAttributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.semconv.ErrorAttributes;
import io.opentelemetry.semconv.HttpAttributes;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code http.server.request.duration} (seconds) as the HTTP conventions define it: by method, route template and
 * status, {@code error.type} for a 5xx, and the caller's {@code tenant.id} (so a tenant admin's {@code /metrics} shows
 * its own share). Recorded in the HTTP SERVER span's context, so a bucket's exemplar names that trace.
 */
final class HttpServerMetrics implements Consumer<CompletedRequest> {
  static final String NAME = "http.server.request.duration";
  // the conventions' advice for this instrument
  private static final List<Double> BUCKETS =
      List.of(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0);

  private final DoubleHistogram duration;

  HttpServerMetrics(Meter meter) {
    this.duration = meter.histogramBuilder(NAME).setUnit("s").setDescription("Duration of HTTP server requests")
        .setExplicitBucketBoundariesAdvice(BUCKETS).build();
  }

  @Override
  public void accept(CompletedRequest r) {
    AttributesBuilder a = Attributes.builder()
        .put(HttpAttributes.HTTP_REQUEST_METHOD, r.method())
        .put(HttpAttributes.HTTP_RESPONSE_STATUS_CODE, (long) r.status());
    if (r.route() != null) {
      a.put(HttpAttributes.HTTP_ROUTE, r.route());
    }
    if (r.status() >= 500) {
      a.put(ErrorAttributes.ERROR_TYPE, Integer.toString(r.status()));
    }
    if (r.caller() != null) {
      a.put(GatewayAttributes.TENANT_ID, r.caller().tenantId());
    }
    Context context = r.span().isValid() ? Context.root().with(Span.wrap(r.span())) : Context.root();
    duration.record(r.nanos() / 1e9, a.build(), context);
  }
}
