package dev.mcpgw.observability.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Where spans are exported. Several exporters may be active at once; an empty list exports nothing.
 *
 * @param types the active exporters, in order, without duplicates
 * @param otlp OTLP settings, used by {@code otlp} (and, for timeout and compression, by {@code jaeger})
 * @param jaegerEndpoint Jaeger's OTLP receiver ({@code OTEL_EXPORTER_JAEGER_ENDPOINT})
 * @param zipkinEndpoint Zipkin's v2 span API ({@code OTEL_EXPORTER_ZIPKIN_ENDPOINT})
 */
public record ExporterConfig(List<Type> types, Otlp otlp, String jaegerEndpoint, String zipkinEndpoint) {

  public static final String DEFAULT_JAEGER_ENDPOINT = "http://localhost:4317";
  public static final String DEFAULT_ZIPKIN_ENDPOINT = "http://localhost:9411/api/v2/spans";

  public ExporterConfig {
    types = List.copyOf(types);
    Objects.requireNonNull(otlp, "otlp");
    Objects.requireNonNull(jaegerEndpoint, "jaegerEndpoint");
    Objects.requireNonNull(zipkinEndpoint, "zipkinEndpoint");
  }

  /** Exporters of the given types with default endpoints and OTLP settings. */
  public static ExporterConfig of(Type... types) {
    return new ExporterConfig(List.of(types), Otlp.defaults(), DEFAULT_JAEGER_ENDPOINT, DEFAULT_ZIPKIN_ENDPOINT);
  }

  public ExporterConfig withOtlp(Otlp newOtlp) {
    return new ExporterConfig(types, newOtlp, jaegerEndpoint, zipkinEndpoint);
  }

  public ExporterConfig withZipkinEndpoint(String endpoint) {
    return new ExporterConfig(types, otlp, jaegerEndpoint, endpoint);
  }

  public ExporterConfig withJaegerEndpoint(String endpoint) {
    return new ExporterConfig(types, otlp, endpoint, zipkinEndpoint);
  }

  /** Span exporters by their configuration names. */
  public enum Type {
    OTLP("otlp"),
    JAEGER("jaeger"),
    ZIPKIN("zipkin"),
    /** Human-readable lines through {@code java.util.logging} ({@code LoggingSpanExporter}); alias {@code logging}. */
    CONSOLE("console"),
    /** OTLP JSON, one line per batch, on standard output; alias {@code otlp_stdout}. */
    OTLP_JSON("otlp_json"),
    /** OTLP JSON through {@code java.util.logging} ({@code OtlpJsonLoggingSpanExporter}). */
    LOGGING_OTLP("logging-otlp");

    private final String configName;

    Type(String configName) {
      this.configName = configName;
    }

    public String configName() {
      return configName;
    }
  }

  /**
   * OTLP exporter settings.
   *
   * @param endpoint the collector URL; for {@code http/protobuf} a generic endpoint gets {@code /v1/traces} appended
   * @param signalSpecificEndpoint whether {@code endpoint} came from a {@code _TRACES_} key and is used as is
   * @param protocol {@code grpc} or {@code http/protobuf}
   * @param headers headers sent with every export (often an API key: never logged)
   * @param insecure for an endpoint without scheme: plain text instead of TLS
   * @param certificate PEM file of trusted CA certificates; empty uses the JVM's trust store
   * @param clientKey PEM file of the client's private key for mutual TLS; empty for none
   * @param clientCertificate PEM file of the client's certificate chain for mutual TLS; empty for none
   * @param timeout longest time one export may take
   * @param compression {@code gzip} or {@code none}
   */
  public record Otlp(
      String endpoint,
      boolean signalSpecificEndpoint,
      String protocol,
      Map<String, String> headers,
      boolean insecure,
      String certificate,
      String clientKey,
      String clientCertificate,
      Duration timeout,
      String compression) {

    public static final String GRPC = "grpc";
    public static final String HTTP_PROTOBUF = "http/protobuf";

    public Otlp {
      Objects.requireNonNull(endpoint, "endpoint");
      Objects.requireNonNull(protocol, "protocol");
      headers = Map.copyOf(headers);
      certificate = certificate == null ? "" : certificate;
      clientKey = clientKey == null ? "" : clientKey;
      clientCertificate = clientCertificate == null ? "" : clientCertificate;
      Objects.requireNonNull(timeout, "timeout");
      Objects.requireNonNull(compression, "compression");
    }

    public static Otlp defaults() {
      return new Otlp("", false, GRPC, Map.of(), false, "", "", "", Duration.ofSeconds(10), "none");
    }

    public Otlp withEndpoint(String newEndpoint, String newProtocol) {
      return new Otlp(newEndpoint, signalSpecificEndpoint, newProtocol, headers, insecure, certificate, clientKey,
          clientCertificate, timeout, compression);
    }

    public Otlp withHeaders(Map<String, String> newHeaders) {
      return new Otlp(endpoint, signalSpecificEndpoint, protocol, newHeaders, insecure, certificate, clientKey,
          clientCertificate, timeout, compression);
    }

    public Otlp withTls(String newCertificate, String newClientKey, String newClientCertificate) {
      return new Otlp(endpoint, signalSpecificEndpoint, protocol, headers, insecure, newCertificate, newClientKey,
          newClientCertificate, timeout, compression);
    }

    public Otlp withTimeout(Duration newTimeout) {
      return new Otlp(endpoint, signalSpecificEndpoint, protocol, headers, insecure, certificate, clientKey,
          clientCertificate, newTimeout, compression);
    }

    /** Header names only: values are often credentials and must never reach a log. */
    @Override
    public String toString() {
      String headerNames = headers.keySet().stream().sorted()
          .map(k -> k + "=***").collect(Collectors.joining(",", "{", "}"));
      return "Otlp[endpoint=" + endpoint + ", protocol=" + protocol + ", headers=" + headerNames
          + ", insecure=" + insecure + ", certificate=" + certificate + ", clientKey=" + clientKey
          + ", clientCertificate=" + clientCertificate + ", timeout=" + timeout
          + ", compression=" + compression.toLowerCase(Locale.ROOT) + "]";
    }
  }
}
