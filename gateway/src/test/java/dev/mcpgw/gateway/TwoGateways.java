package dev.mcpgw.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.auth.Caller;
import dev.mcpgw.gateway.auth.TokenService;
import dev.mcpgw.gateway.cli.CliProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Two real {@code mcpgw serve} processes: gateway B fronts one upstream MCP server, gateway A federates B (B's
 * {@code /mcp} registered as a Streamable HTTP upstream of A, with a bearer token for B in its headers). Both export
 * their spans to one Zipkin endpoint, as services {@code gateway-a} and {@code gateway-b} (plus a suffix, so that
 * several pairs can share one Zipkin).
 */
final class TwoGateways implements AutoCloseable {
  /** Shared by both gateways, so that one token minted here is good on either. */
  private static final String SECRET = "two-gateways-test-secret-0123456789abcdef";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static final TokenService TOKENS = TokenService.create(SECRET.getBytes(StandardCharsets.UTF_8));

  final CliProcess a;
  final CliProcess b;
  final String aUrl;
  final String bUrl;

  private TwoGateways(CliProcess a, String aUrl, CliProcess b, String bUrl) {
    this.a = a;
    this.aUrl = aUrl;
    this.b = b;
    this.bUrl = bUrl;
  }

  /**
   * Starts B in front of the Streamable HTTP server at {@code upstreamUrl} (registered as {@code upstream}), then A
   * federating B (registered as {@code b}), each with {@code otelEnv} plus its service name ({@code gateway-a} or
   * {@code gateway-b} followed by {@code serviceSuffix}) and the Zipkin endpoint.
   */
  static TwoGateways start(Path workDir, String serviceSuffix, String upstream, String upstreamUrl, String zipkinSpans,
      Map<String, String> otelEnv) throws Exception {
    CliProcess b = serve(workDir.resolve("gateway-b"), "gateway-b" + serviceSuffix, zipkinSpans, otelEnv);
    CliProcess a = null;
    try {
      String bUrl = b.awaitBaseUrl();
      register(bUrl, upstream, upstreamUrl, Map.of());
      a = serve(workDir.resolve("gateway-a"), "gateway-a" + serviceSuffix, zipkinSpans, otelEnv);
      String aUrl = a.awaitBaseUrl();
      // a user of the tenant that owns B's upstream: B shows A what it shows that tenant
      String forA = TOKENS.issue(new Caller("gateway-a", "acme", false), Duration.ofHours(1));
      register(aUrl, "b", bUrl + "/mcp", Map.of("Authorization", "Bearer " + forA));
      return new TwoGateways(a, aUrl, b, bUrl);
    } catch (Exception | Error e) {
      b.close();
      if (a != null) {
        a.close();
      }
      throw e;
    }
  }

  private static CliProcess serve(Path dir, String service, String zipkinSpans, Map<String, String> otelEnv)
      throws Exception {
    Files.createDirectories(dir);
    Map<String, String> env = new HashMap<>();
    env.put("MCPGW_DATA_DIR", dir.resolve("data").toString());
    env.put("MCPGW_JWT_SECRET", SECRET);
    env.put("MCPGW_HEALTH_CHECK_INTERVAL", "1h");
    env.put("OTEL_SERVICE_NAME", service);
    env.put("OTEL_TRACES_EXPORTER", "zipkin");
    env.put("OTEL_EXPORTER_ZIPKIN_ENDPOINT", zipkinSpans);
    env.put("OTEL_METRICS_EXPORTER", "none");
    env.put("OTEL_LOGS_EXPORTER", "none");
    env.put("OTEL_BSP_SCHEDULE_DELAY", "100");
    env.putAll(otelEnv);
    return CliProcess.start(dir, env, "serve", "--port", "0");
  }

  private static void register(String base, String name, String url, Map<String, String> headers) throws Exception {
    ObjectNode body = TestGateway.JSON.createObjectNode().put("name", name).put("url", url)
        .put("transport", "streamablehttp");
    headers.forEach(body.putObject("headers")::put);
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/gateways"))
        .header("Authorization", "Bearer " + adminToken())
        .header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(60))
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 201) {
      throw new AssertionError("POST " + base + "/gateways (" + name + ") -> " + r.statusCode() + " " + r.body());
    }
  }

  /** An admin of the MCP client's tenant: what it registers is private to that tenant, which the client sees. */
  static String adminToken() {
    return TOKENS.issue(new Caller("root", "acme", true), Duration.ofHours(1));
  }

  /** A token for an MCP client of A. */
  static String userToken() {
    return TOKENS.issue(new Caller("alice", "acme", false), Duration.ofHours(1));
  }

  @Override
  public void close() throws Exception {
    try {
      a.close();
    } finally {
      b.close();
    }
  }
}
