package dev.mcpgw.observability.export;

import io.opentelemetry.exporter.prometheus.PrometheusMetricReader;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The current metrics in the Prometheus text format, for the gateway to serve on {@code /metrics} when the
 * {@code prometheus} metrics exporter is on.
 */
public final class MetricsScrape {

  private final PrometheusMetricReader reader;
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
  private final OpenMetricsTextFormatWriter openMetrics = OpenMetricsTextFormatWriter.create();

  public MetricsScrape(PrometheusMetricReader reader) {
    this.reader = reader;
  }

  /** The Content-Type of what {@link #writeTo} writes. */
  public String contentType() {
    return writer.getContentType();
  }

  /** Collects the current values and writes them to {@code out}. */
  public void writeTo(OutputStream out) throws IOException {
    writer.write(out, reader.collect());
  }

  /** Whether a scraper's {@code Accept} header asks for OpenMetrics (which carries exemplars), as Prometheus does. */
  public boolean wantsOpenMetrics(String accept) {
    return accept != null && openMetrics.accepts(accept);
  }

  /** The Content-Type of what {@link #writeTo(OutputStream, boolean)} writes. */
  public String contentType(boolean openMetricsFormat) {
    return openMetricsFormat ? openMetrics.getContentType() : writer.getContentType();
  }

  /**
   * Collects the current values and writes them to {@code out}: in the OpenMetrics text format, whose histogram
   * buckets carry exemplars (the trace and span ids of a measurement made inside a sampled span), or in the
   * Prometheus text format.
   */
  public void writeTo(OutputStream out, boolean openMetricsFormat) throws IOException {
    if (openMetricsFormat) {
      openMetrics.write(out, reader.collect());
    } else {
      writeTo(out);
    }
  }
}
