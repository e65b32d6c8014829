package dev.mcpgw.observability.internal.export;

import dev.mcpgw.observability.config.ExporterConfig.Otlp;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.exporter.otlp.internal.GrpcExporterBuilder;
import io.opentelemetry.exporter.otlp.internal.HttpExporterBuilder;
import io.opentelemetry.exporter.otlp.internal.OtlpUserAgent;
import io.opentelemetry.sdk.common.internal.StandardComponentId.ExporterType;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;

/**
 * OTLP span exporters over gRPC or HTTP/protobuf with headers, TLS (custom CA, client certificate), timeout and
 * compression: the gateway's encoder in front of the SDK's exporter for the protocol (ADR 0037).
 */
final class OtlpSpanExporters {

  static final String DEFAULT_GRPC_ENDPOINT = "http://localhost:4317";
  static final String DEFAULT_HTTP_ENDPOINT = "http://localhost:4318/v1/traces";
  private static final String TRACES_PATH = "/v1/traces";
  private static final String GRPC_TRACE_METHOD = "opentelemetry.proto.collector.trace.v1.TraceService/Export";

  private OtlpSpanExporters() {}

  /** {@code sdkRetries} false: no retry policy, each failed export is reported at once (to the resilient export). */
  static SpanExporter create(Otlp otlp, Map<String, String> headers, Supplier<MeterProvider> meterProvider,
      boolean sdkRetries) {
    byte[] ca = read(otlp.certificate(), "certificate");
    byte[] key = read(otlp.clientKey(), "client key");
    byte[] cert = read(otlp.clientCertificate(), "client certificate");
    if (Otlp.HTTP_PROTOBUF.equals(otlp.protocol())) {
      HttpExporterBuilder b = new HttpExporterBuilder(ExporterType.OTLP_HTTP_SPAN_EXPORTER, httpEndpoint(otlp))
          .setMeterProvider(meterProvider)
          .setInternalTelemetryVersion(SelfTelemetry.VERSION)
          .setTimeout(otlp.timeout())
          .setCompression(otlp.compression());
      OtlpUserAgent.addUserAgentHeader(b::addConstantHeaders);
      headers.forEach(b::addConstantHeaders);
      if (!sdkRetries) {
        b.setRetryPolicy(null);
      }
      if (ca != null) {
        b.setTrustManagerFromCerts(ca);
      }
      if (key != null && cert != null) {
        b.setKeyManagerFromCerts(key, cert);
      }
      return EncodedOtlpSpanExporter.overHttp(b.build(), "OtlpHttpSpanExporter{" + b.toString(false) + "}");
    }
    GrpcExporterBuilder b = new GrpcExporterBuilder(ExporterType.OTLP_GRPC_SPAN_EXPORTER, otlp.timeout(),
        URI.create(DEFAULT_GRPC_ENDPOINT), GRPC_TRACE_METHOD)
        .setEndpoint(otlp.endpoint().isEmpty() ? DEFAULT_GRPC_ENDPOINT : otlp.endpoint())
        .setMeterProvider(meterProvider)
        .setInternalTelemetryVersion(SelfTelemetry.VERSION)
        .setTimeout(otlp.timeout())
        .setCompression(otlp.compression());
    OtlpUserAgent.addUserAgentHeader(b::addConstantHeader);
    headers.forEach(b::addConstantHeader);
    if (!sdkRetries) {
      b.setRetryPolicy(null);
    }
    if (ca != null) {
      b.setTrustManagerFromCerts(ca);
    }
    if (key != null && cert != null) {
      b.setKeyManagerFromCerts(key, cert);
    }
    return EncodedOtlpSpanExporter.overGrpc(b.build(), "OtlpGrpcSpanExporter{" + b.toString(false) + "}");
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
