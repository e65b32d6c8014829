package dev.mcpgw.observability.internal.export;

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
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** OTLP span exporters over gRPC or HTTP/protobuf with headers, TLS (custom CA, client certificate), timeout. */
final class OtlpSpanExporters {

  static final String DEFAULT_GRPC_ENDPOINT = "http://localhost:4317";
  static final String DEFAULT_HTTP_ENDPOINT = "http://localhost:4318/v1/traces";
  private static final String TRACES_PATH = "/v1/traces";

  private static final Logger LOG = LoggerFactory.getLogger(OtlpSpanExporters.class);
  /** The first Java release on which the OTLP exporter no longer encodes strings through sun.misc.Unsafe. */
  private static final int FIRST_JAVA_WITHOUT_UNSAFE_ENCODER = 23;
  private static final AtomicBoolean ENCODING_ADVICE_GIVEN = new AtomicBoolean();

  private OtlpSpanExporters() {}

  /** {@code sdkRetries} false: no retry policy, each failed export is reported at once (to the resilient export). */
  static SpanExporter create(Otlp otlp, Map<String, String> headers, Supplier<MeterProvider> meterProvider,
      boolean sdkRetries) {
    stringEncodingAdvice(Runtime.version().feature(),
        Object.class.getModule().isOpen("java.lang", OtlpSpanExporters.class.getModule()))
        .filter(advice -> ENCODING_ADVICE_GIVEN.compareAndSet(false, true))
        .ifPresent(LOG::info);
    byte[] ca = read(otlp.certificate(), "certificate");
    byte[] key = read(otlp.clientKey(), "client key");
    byte[] cert = read(otlp.clientCertificate(), "client certificate");
    if (Otlp.HTTP_PROTOBUF.equals(otlp.protocol())) {
      OtlpHttpSpanExporterBuilder b = OtlpHttpSpanExporter.builder()
          .setEndpoint(httpEndpoint(otlp))
          .setMeterProvider(meterProvider)
          .setInternalTelemetryVersion(SelfTelemetry.VERSION)
          .setTimeout(otlp.timeout())
          .setCompression(otlp.compression());
      headers.forEach(b::addHeader);
      if (!sdkRetries) {
        b.setRetryPolicy(null);
      }
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
        .setInternalTelemetryVersion(SelfTelemetry.VERSION)
        .setTimeout(otlp.timeout())
        .setCompression(otlp.compression());
    headers.forEach(b::addHeader);
    if (!sdkRetries) {
      b.setRetryPolicy(null);
    }
    if (ca != null) {
      b.setTrustedCertificates(ca);
    }
    if (key != null && cert != null) {
      b.setClientTls(key, cert);
    }
    return b.build();
  }

  /**
   * What to tell an operator whose JVM makes the OTLP exporter encode every span string char by char: from Java 23
   * on it reads a string's bytes only when {@code java.lang} is open to it, which the gateway jar's manifest arranges
   * for {@code java -jar} (docs/adr/0013-tracing-cost-per-call.md). Empty when the fast encoder is available.
   */
  static Optional<String> stringEncodingAdvice(int javaFeature, boolean javaLangOpen) {
    if (javaFeature < FIRST_JAVA_WITHOUT_UNSAFE_ENCODER || javaLangOpen) {
      return Optional.empty();
    }
    return Optional.of("OTLP export encodes span strings char by char on this JVM, which costs a few microseconds of CPU"
        + " per traced call: start the gateway with `java -jar mcpgw.jar` (bin/mcpgw does), whose manifest opens"
        + " java.lang to it, or add --add-opens java.base/java.lang=ALL-UNNAMED to the java command.");
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
