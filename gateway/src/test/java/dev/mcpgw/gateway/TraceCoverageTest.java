package dev.mcpgw.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mcpgw.gateway.config.GatewaySettings;
import dev.mcpgw.gateway.http.ApiRoutes;
import dev.mcpgw.gateway.trace.RecordingTracing;
import dev.mcpgw.observability.Observability;
import dev.mcpgw.observability.config.ObservabilityConfigLoader;
import dev.mcpgw.observability.semconv.GatewayAttributes;
import dev.mcpgw.observability.semconv.McpAttributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Coverage by construction, checked: every MCP method the dispatcher answers and every admin route produces a SERVER
 * span of its kind. The methods are read from the dispatcher's own source (its {@code case "..."} labels and the
 * notifications it names), the routes from the running gateway's router, so a method or route added later is covered
 * by this test without editing it. With observability off, the same requests produce no span and no
 * {@code traceresponse}.
 */
class TraceCoverageTest {
  private static final Path DISPATCHER =
      Path.of("src/main/java/dev/mcpgw/gateway/mcp/McpDispatcher.java");
  /** Params that satisfy or at least reach every method's validation: what matters is the span, not the answer. */
  private static final String PARAMS = "{\"name\":\"no-such\",\"uri\":\"x://no-such\",\"protocolVersion\":\"2025-11-25\","
      + "\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"},\"level\":\"info\","
      + "\"ref\":{\"type\":\"ref/prompt\",\"name\":\"no-such\"},\"argument\":{\"name\":\"a\",\"value\":\"b\"},"
      + "\"requestId\":99,\"progressToken\":\"t\",\"progress\":1}";

  @TempDir Path tmp;
  private RecordingTracing tracing;
  private TestGateway gw;
  private String session;

  @AfterEach
  void stop() {
    if (gw != null) {
      gw.close();
    }
    if (tracing != null) {
      tracing.close();
    }
  }

  /** The JSON-RPC methods and notifications named in the dispatcher's source. */
  static Set<String> dispatcherMethods() throws Exception {
    String source = Files.readString(DISPATCHER);
    Set<String> methods = new LinkedHashSet<>();
    Matcher cases = Pattern.compile("case\\s+((?:\"[^\"]+\"\\s*,?\\s*)+)->").matcher(source);
    while (cases.find()) {
      Matcher label = Pattern.compile("\"([^\"]+)\"").matcher(cases.group(1));
      while (label.find()) {
        methods.add(label.group(1));
      }
    }
    Matcher notifications = Pattern.compile("\"(notifications/[A-Za-z_/]+)\"").matcher(source);
    while (notifications.find()) {
      methods.add(notifications.group(1));
    }
    return methods;
  }

  private void start(Observability observability) throws Exception {
    GatewaySettings settings = TestGateway.settings(tmp,
        new GatewaySettings.Database("jdbc:sqlite:" + tmp.resolve("reg.db"), null, null, 4), Map.of());
    gw = TestGateway.start(settings, GatewayApplication.Parts.production().withObservability(s -> observability));
  }

  private HttpResponse<String> mcp(String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.base + "/mcp")).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
        .header("Authorization", "Bearer " + gw.userToken()).POST(HttpRequest.BodyPublishers.ofString(body));
    if (session != null) {
      b.header("Mcp-Session-Id", session);
    }
    return gw.send(b.build());
  }

  /** Sends every dispatcher method (requests with an id, notifications without) and every admin route. */
  private List<HttpResponse<String>> exercise(Set<String> methods, List<ApiRoutes.Endpoint> routes) throws Exception {
    List<HttpResponse<String>> responses = new ArrayList<>();
    HttpResponse<String> init = mcp("{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":" + PARAMS + "}");
    responses.add(init);
    session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
    int id = 1;
    for (String method : methods) {
      String idField = method.startsWith("notifications/") ? "" : "\"id\":" + id++ + ",";
      responses.add(mcp("{\"jsonrpc\":\"2.0\"," + idField + "\"method\":\"" + method + "\",\"params\":" + PARAMS + "}"));
    }
    for (ApiRoutes.Endpoint route : routes) {
      String path = route.pattern().replaceAll("\\{[^}]+}", "no-such-id");
      responses.add(gw.send(route.method(), path, gw.adminToken(), "POST".equals(route.method()) ? "{}" : null));
    }
    return responses;
  }

  @Test
  void everyDispatcherMethodAndEveryAdminRouteProducesAServerSpanOfItsKind() throws Exception {
    tracing = RecordingTracing.start();
    start(tracing.observability());
    Set<String> methods = dispatcherMethods();
    List<ApiRoutes.Endpoint> routes = gw.app.apiEndpoints();
    // the extraction itself is checked against what the dispatcher is known to answer
    assertThat(methods).contains("initialize", "ping", "tools/list", "tools/call", "resources/read", "prompts/get",
        "completion/complete", "notifications/cancelled");
    assertThat(routes).extracting(ApiRoutes.Endpoint::pattern).contains("/gateways", "/gateways/{id}/refresh",
        "/servers/{id}", "/tools", "/prompts", "/resources");

    List<HttpResponse<String>> responses = exercise(methods, routes);

    for (String method : methods) {
      SpanData span = tracing.await(s -> s.getKind() == SpanKind.SERVER
          && method.equals(s.getAttributes().get(McpAttributes.MCP_METHOD_NAME)));
      SpanData http = tracing.spans().stream().filter(s -> s.getSpanId().equals(span.getParentSpanId()))
          .findFirst().orElseThrow(() -> new AssertionError(method + " has no HTTP parent span"));
      assertThat(http.getName()).as(method).isEqualTo("POST /mcp");
    }
    for (ApiRoutes.Endpoint route : routes) {
      String name = route.method() + " " + route.pattern();
      assertThat(tracing.await(s -> s.getKind() == SpanKind.SERVER && s.getName().equals(name))
          .getAttributes().get(GatewayAttributes.REQUEST_ID)).as(name).isNotBlank();
    }
    assertThat(responses).allSatisfy(r -> assertThat(r.headers().firstValue("traceresponse")).isPresent());
  }

  @Test
  void withObservabilityOffTheSameRequestsProduceNoSpanAndNoTraceresponse() throws Exception {
    InMemorySpanExporter memory = InMemorySpanExporter.create();
    Observability off = Observability.builder(ObservabilityConfigLoader.load(
        Map.of("OTEL_ENABLE_OBSERVABILITY", "false", "OTEL_TRACES_EXPORTER", "none"), null))
        .addSpanExporter("memory", memory).build();
    assertThat(off.enabled()).isFalse();
    start(off);

    List<HttpResponse<String>> responses = exercise(dispatcherMethods(), gw.app.apiEndpoints());

    assertThat(responses).allSatisfy(r -> {
      assertThat(r.headers().firstValue("traceresponse")).isEmpty();
      assertThat(r.headers().firstValue("X-Request-ID")).isPresent();
    });
    assertThat(off.forceFlush(Duration.ofSeconds(5))).isTrue();
    assertThat(memory.getFinishedSpanItems()).isEmpty();
  }
}
