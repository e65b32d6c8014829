package dev.mcpgw.observability.export;

import io.opentelemetry.exporter.prometheus.PrometheusMetricReader;
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
}
