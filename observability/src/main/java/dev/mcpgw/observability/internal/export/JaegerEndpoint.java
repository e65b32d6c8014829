package dev.mcpgw.observability.internal.export;

import java.net.URI;
import java.util.Set;

/**
 * Jaeger takes OTLP natively (gRPC on 4317, HTTP on 4318). Its legacy Thrift/UDP ports and the
 * {@code /api/traces} collector path are recognised and redirected to the same host's OTLP gRPC port.
 *
 * @param url the OTLP URL to send to
 * @param protocol {@code grpc} or {@code http/protobuf}
 * @param legacy whether the configured endpoint was a legacy one (warn once)
 */
record JaegerEndpoint(String url, String protocol, boolean legacy) {

  private static final Set<Integer> LEGACY_PORTS = Set.of(14268, 14250, 6831, 6832, 5775);

  static JaegerEndpoint resolve(String configured) {
    URI uri = URI.create(configured);
    String path = uri.getPath() == null ? "" : uri.getPath();
    boolean legacy = LEGACY_PORTS.contains(uri.getPort()) || path.startsWith("/api/traces");
    if (legacy) {
      String scheme = "https".equalsIgnoreCase(uri.getScheme()) ? "https" : "http";
      return new JaegerEndpoint(scheme + "://" + uri.getHost() + ":4317", "grpc", true);
    }
    if (uri.getPort() == 4318 || path.endsWith("/v1/traces")) {
      String url = path.endsWith("/v1/traces") ? configured
          : (configured.endsWith("/") ? configured.substring(0, configured.length() - 1) : configured) + "/v1/traces";
      return new JaegerEndpoint(url, "http/protobuf", false);
    }
    return new JaegerEndpoint(configured, "grpc", false);
  }
}
