package dev.mcpgw.gateway.trace;

import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mcpgw.gateway.auth.Authenticator;
import dev.mcpgw.gateway.auth.Caller;
import dev.mcpgw.gateway.auth.JwtSecret;
import dev.mcpgw.gateway.auth.TokenService;
import dev.mcpgw.gateway.config.GatewaySettings;
import dev.mcpgw.gateway.config.SettingsLoader;
import dev.mcpgw.gateway.http.ApiResponse;
import dev.mcpgw.gateway.http.ApiRoutes;
import dev.mcpgw.gateway.http.GatewayServer;
import dev.mcpgw.observability.semconv.GatewayAttributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.semconv.ErrorAttributes;
import io.opentelemetry.semconv.HttpAttributes;
import io.opentelemetry.semconv.UrlAttributes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP SERVER span on the gateway's real Jetty server and filter chain, with routes of its own. */
class HttpServerSpanFilterTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  @TempDir Path tmp;
  private final RecordingTracing tracing = RecordingTracing.start();
  private final AtomicReference<Span> seenByHandler = new AtomicReference<>();
  private GatewayServer server;
  private String base;
  private String token;

  @BeforeEach
  void start() throws Exception {
    GatewaySettings settings = SettingsLoader.load(Map.of("MCPGW_PORT", "0", "MCPGW_HOST", "127.0.0.1",
        "MCPGW_DATA_DIR", tmp.toString()), tmp);
    TokenService tokens = TokenService.create(JwtSecret.resolve(settings));
    token = tokens.issue(new Caller("alice", "acme", false), Duration.ofMinutes(5));
    ApiRoutes routes = new ApiRoutes()
        .get("/things/{id}", req -> {
          seenByHandler.set(Span.current());
          return ApiResponse.ok(Map.of("id", req.path("id")));
        })
        .get("/boom", req -> {
          throw new IllegalStateException("handler broke");
        });
    server = GatewayServer.builder(settings, Authenticator.create(settings, tokens), routes, () -> true)
        .observers(GatewayTelemetry.create(tracing.observability()).httpFilters(routes)).build();
    server.start();
    base = "http://127.0.0.1:" + server.port();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    tracing.close();
  }

  private HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
    headers.forEach(b::header);
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aRequestIsOneServerSpanNamedByItsRouteTemplateWithRequestIdAndTraceresponse() throws Exception {
    HttpResponse<String> r = get("/things/abc-123", Map.of("Authorization", "Bearer " + token,
        "X-Request-ID", "find-me-1", "User-Agent", "tests/1"));
    assertThat(r.statusCode()).isEqualTo(200);

    SpanData span = tracing.await("GET /things/{id}", SpanKind.SERVER);
    assertThat(span)
        .hasAttribute(HttpAttributes.HTTP_REQUEST_METHOD, "GET")
        .hasAttribute(HttpAttributes.HTTP_ROUTE, "/things/{id}")
        .hasAttribute(UrlAttributes.URL_PATH, "/things/abc-123")
        .hasAttribute(HttpAttributes.HTTP_RESPONSE_STATUS_CODE, 200L)
        .hasAttribute(GatewayAttributes.REQUEST_ID, "find-me-1")
        .hasAttribute(HttpServerSpanFilter.REQUEST_ID_HEADER, List.of("find-me-1"))
        .hasAttribute(GatewayAttributes.USER_ID, "alice")
        .hasAttribute(GatewayAttributes.TENANT_ID, "acme");
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(r.headers().firstValue("traceresponse"))
        .hasValue("00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getSpanContext().getTraceFlags().asHex());
    // the handler ran inside it
    assertThat(seenByHandler.get().getSpanContext().getSpanId()).isEqualTo(span.getSpanId());
  }

  @Test
  void aGeneratedRequestIdIsOnTheSpanButNotAsARequestHeaderTheClientNeverSent() throws Exception {
    HttpResponse<String> r = get("/things/7", Map.of("Authorization", "Bearer " + token));

    SpanData span = tracing.await("GET /things/{id}", SpanKind.SERVER);
    assertThat(r.headers().firstValue("X-Request-ID")).isPresent();
    assertThat(span).hasAttribute(GatewayAttributes.REQUEST_ID, r.headers().firstValue("X-Request-ID").get());
    assertThat(span.getAttributes().get(HttpServerSpanFilter.REQUEST_ID_HEADER)).isNull();
  }

  @Test
  void anIncomingTraceparentBecomesTheParent() throws Exception {
    get("/things/1", Map.of("Authorization", "Bearer " + token,
        "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
    assertThat(tracing.await("GET /things/{id}", SpanKind.SERVER))
        .hasTraceId("4bf92f3577b34da6a3ce929d0e0e4736").hasParentSpanId("00f067aa0ba902b7");
  }

  @Test
  void aFailingHandlerMakesAn500ErrorSpanAndRefusedRequestsAreTracedWithoutError() throws Exception {
    assertThat(get("/boom", Map.of("Authorization", "Bearer " + token)).statusCode()).isEqualTo(500);
    assertThat(get("/things/1", Map.of()).statusCode()).isEqualTo(401);

    SpanData boom = tracing.await("GET /boom", SpanKind.SERVER);
    assertThat(boom).hasAttribute(HttpAttributes.HTTP_RESPONSE_STATUS_CODE, 500L)
        .hasAttribute(ErrorAttributes.ERROR_TYPE, "500");
    assertThat(boom.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    SpanData refused = tracing.await(s -> s.getName().equals("GET /things/{id}")
        && Long.valueOf(401).equals(s.getAttributes().get(HttpAttributes.HTTP_RESPONSE_STATUS_CODE)));
    assertThat(refused.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
  }

  @Test
  void unknownPathsAreNamedByTheMethodOnlyAndMcpPathsByTheirTemplate() throws Exception {
    get("/no/such/path/4711", Map.of("Authorization", "Bearer " + token));
    get("/servers/4711/mcp", Map.of("Authorization", "Bearer " + token));
    get("/health", Map.of());

    SpanData unknown = tracing.await(s -> s.getName().equals("GET")
        && "/no/such/path/4711".equals(s.getAttributes().get(UrlAttributes.URL_PATH)));
    assertThat(unknown.getAttributes().get(HttpAttributes.HTTP_ROUTE)).isNull();
    assertThat(tracing.await("GET /servers/{id}/mcp", SpanKind.SERVER)).hasAttribute(HttpAttributes.HTTP_ROUTE,
        "/servers/{id}/mcp");
    assertThat(tracing.await("GET /health", SpanKind.SERVER)).hasAttribute(HttpAttributes.HTTP_RESPONSE_STATUS_CODE,
        200L);
  }
}
