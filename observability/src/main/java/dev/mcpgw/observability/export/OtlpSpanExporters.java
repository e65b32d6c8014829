package dev.mcpgw.observability.export;

import dev.mcpgw.observability.config.ExporterConfig.Otlp;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporterBuilder;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;

/** OTLP span exporters over gRPC or HTTP/protobuf with headers, TLS (custom CA, client certificate), timeout. */
final class OtlpSpanExporters {

  static final String DEFAULT_GRPC_ENDPOINT = "http://localhost:4317";
  static final String DEFAULT_HTTP_ENDPOINT = "http://localhost:4318/v1/traces";
  private static final String TRACES_PATH = "/v1/traces";

  private OtlpSpanExporters() {}

  static SpanExporter create(Otlp otlp, Map<String, String> headers, Supplier<MeterProvider> meterProvider) {
    byte[] ca = read(otlp.certificate(), "certificate");
    byte[] key = read(otlp.clientKey(), "client key");
    byte[] cert = read(otlp.clientCertificate(), "client certificate");
    if (Otlp.HTTP_PROTOBUF.equals(otlp.protocol())) {
      OtlpHttpSpanExporterBuilder b = OtlpHttpSpanExporter.builder()
          .setEndpoint(httpEndpoint(otlp))
          .setMeterProvider(meterProvider)
          .setTimeout(otlp.timeout())
          .setCompression(otlp.compression());
      headers.forEach(b::addHeader);
      if (ca != null) {
        b.setTrustedCertificates(ca);
      }
      if (key != null && cert != null) {
        b.setClientTls(key, cert);
      }
      return b.build();
    }
    OtlpGrpcSpanExporterBuilder b = OtlpGrpcSpanExporter.builder()
        .setEndpoint(otlp.endpoint().isEmpty() ? DEFAULT_GRPC_ENDPOINT : otlp.endpoint())
        .setMeterProvider(meterProvider)
        .setTimeout(otlp.timeout())
        .setCompression(otlp.compression());
    headers.forEach(b::addHeader);
    if (ca != null) {
      b.setTrustedCertificates(ca);
    }
    if (key != null && cert != null) {
      b.setClientTls(key, cert);
    }
    return b.build();
  }

  /**
   * The HTTP URL spans are posted to: a signal-specific endpoint as given, a generic one with {@code /v1/traces}
   * appended (the OTLP exporter specification's rule).
   */
  static String httpEndpoint(Otlp otlp) {
    String endpoint = otlp.endpoint();
    if (endpoint.isEmpty()) {
      return DEFAULT_HTTP_ENDPOINT;
    }
    if (otlp.signalSpecificEndpoint() || endpoint.endsWith(TRACES_PATH)) {
      return endpoint;
    }
    return (endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint) + TRACES_PATH;
  }

  private static byte[] read(String path, String what) {
    if (path == null || path.isEmpty()) {
      return null;
    }
    try {
      return Files.readAllBytes(Path.of(path));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the OTLP " + what + " file " + path, e);
    }
  }
}
