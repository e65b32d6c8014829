package dev.mcpgw.gateway.upstream;

import static dev.mcpgw.gateway.upstream.UpstreamRig.settings;
import static dev.mcpgw.gateway.upstream.UpstreamRig.traceparent;
import static dev.mcpgw.gateway.upstream.UpstreamTransportBehaviour.failure;
import static dev.mcpgw.gateway.upstream.UpstreamTransportBehaviour.params;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.NodePeers;
import dev.mcpgw.gateway.jsonrpc.MessageJson;
import dev.mcpgw.gateway.store.UpstreamSpec;
import dev.mcpgw.gateway.testing.EverythingServer;
import dev.mcpgw.gateway.testing.FaultyHttpProxy;
import dev.mcpgw.gateway.trace.GatewayTelemetry;
import dev.mcpgw.observability.Observability;
import dev.mcpgw.observability.SpanScope;
import dev.mcpgw.observability.semconv.GenAiAttributes;
import dev.mcpgw.observability.semconv.McpAttributes;
import dev.mcpgw.observability.semconv.UpstreamAttributes;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every request to an upstream is a CLIENT span of the caller's trace, and carries that span's context to the upstream
 * in its headers and {@code params._meta} (stdio: {@code _meta} only); retries and circuit-breaker transitions are
 * events on it. Against the real server-everything behind a proxy that records what arrives and fails chosen POSTs,
 * and a stdio server on the official TypeScript SDK that answers with the {@code _meta} it received.
 */
class UpstreamTracingTest {
  @TempDir static Path tmp;
  static EverythingServer server;
  final UpstreamRig rig = new UpstreamRig();

  @BeforeAll
  static void startServer() {
    server = EverythingServer.start(EverythingServer.Mode.STREAMABLE_HTTP, tmp);
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @AfterEach
  void closeAll() {
    rig.close();
  }

  private UpstreamClient connectThroughProxy(Observability obs, UpstreamSettings settings) throws Exception {
    rig.proxy = FaultyHttpProxy.start("http://127.0.0.1:" + server.port());
    rig.pool = UpstreamConnections.builder(settings).tracer(GatewayTelemetry.create(obs).upstreamRequests()).build();
    UpstreamSpec spec = new UpstreamSpec("everything", UpstreamSpec.Transport.STREAMABLE_HTTP, rig.proxy.url("/mcp"),
        null, List.of(), Map.of(), Map.of("Authorization", "Bearer upstream-secret"));
    return rig.pool.connect("g1", spec, UpstreamListener.NONE).get(30, TimeUnit.SECONDS);
  }

  private List<SpanData> spans() {
    assertThat(rig.observability.forceFlush(Duration.ofSeconds(10))).isTrue();
    return rig.memory.getFinishedSpanItems();
  }

  private SpanData span(String name) {
    await().atMost(Duration.ofSeconds(10)).until(() -> spans().stream().anyMatch(s -> s.getName().equals(name)));
    return spans().stream().filter(s -> s.getName().equals(name)).reduce((a, b) -> b).orElseThrow();
  }

  /** The JSON body of the last POST the proxy received for {@code method}. */
  private JsonNode lastPost(String method) throws Exception {
    List<String> requests = rig.proxy.requests();
    for (int i = requests.size() - 1; i >= 0; i--) {
      String r = requests.get(i);
      if (r.startsWith("POST ")) {
        JsonNode body = MessageJson.MAPPER.readTree(r.substring(r.indexOf('{')));
        if (method.equals(body.path("method").asText())) {
          return body;
        }
      }
    }
    throw new AssertionError("no POST of " + method + " among " + requests);
  }

  /** The headers of the last POST whose body was {@code body}. */
  private Map<String, List<String>> headersOf(JsonNode body) throws Exception {
    List<String> requests = rig.proxy.requests();
    for (int i = requests.size() - 1; i >= 0; i--) {
      String r = requests.get(i);
      if (r.startsWith("POST ") && MessageJson.MAPPER.readTree(r.substring(r.indexOf('{'))).equals(body)) {
        return rig.proxy.requestHeaders().get(i);
      }
    }
    throw new AssertionError("no POST with " + body);
  }

  private static String header(Map<String, List<String>> headers, String name) {
    return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).findFirst()
        .map(e -> e.getValue().get(0)).orElse(null);
  }

  @Test
  void aToolCallIsAClientSpanOfTheCallersTraceCarryingItsContextInHeadersAndMeta() throws Exception {
    UpstreamClient client = connectThroughProxy(rig.tracing(), settings(0, 10));
    SpanData caller;
    try (SpanScope scope = rig.observability.span("caller", Attributes.empty());
        Scope baggage = Context.current().with(Baggage.builder().put("tenant", "acme").build()).makeCurrent()) {
      client.request("tools/call", params("{\"name\":\"echo\",\"arguments\":{\"message\":\"hi\"}}"),
          RequestOptions.call(Duration.ofSeconds(10))).get(30, TimeUnit.SECONDS);
    }
    caller = span("caller");

    SpanData call = span("tools/call echo");
    assertThat(call.getKind()).isEqualTo(SpanKind.CLIENT);
    assertThat(call.getParentSpanId()).isEqualTo(caller.getSpanId());
    assertThat(call.getTraceId()).isEqualTo(caller.getTraceId());
    Attributes a = call.getAttributes();
    assertThat(a.get(McpAttributes.MCP_METHOD_NAME)).isEqualTo("tools/call");
    assertThat(a.get(GenAiAttributes.GEN_AI_TOOL_NAME)).isEqualTo("echo");
    assertThat(a.get(McpAttributes.SERVER_ADDRESS)).isEqualTo("127.0.0.1");
    assertThat(a.get(McpAttributes.SERVER_PORT)).isEqualTo((long) java.net.URI.create(rig.proxy.url("/")).getPort());
    assertThat(a.get(McpAttributes.NETWORK_TRANSPORT)).isEqualTo("tcp");
    assertThat(a.get(McpAttributes.MCP_SESSION_ID)).isNotBlank();
    assertThat(a.get(McpAttributes.MCP_PROTOCOL_VERSION)).isNotBlank();
    assertThat(a.get(UpstreamAttributes.UPSTREAM_NAME)).isEqualTo("everything");
    assertThat(a.get(UpstreamAttributes.CIRCUIT_BREAKER_STATE)).isEqualTo("CLOSED");
    assertThat(call.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(a.asMap().values()).as("no header value reaches a span").noneMatch(v -> v.toString().contains("secret"));

    JsonNode sent = lastPost("tools/call");
    assertThat(a.get(McpAttributes.JSONRPC_REQUEST_ID)).isEqualTo(sent.get("id").asText());
    assertThat(sent.at("/params/_meta/traceparent").asText()).startsWith(traceparent(call));
    assertThat(sent.at("/params/_meta/baggage").asText()).isEqualTo("tenant=acme");
    Map<String, List<String>> headers = headersOf(sent);
    assertThat(header(headers, "traceparent")).startsWith(traceparent(call));
    assertThat(header(headers, "baggage")).isEqualTo("tenant=acme");
  }

  @Test
  void anUnsampledCallerStillTellsTheUpstreamItsTraceIsNotSampledAndRecordsNothing() throws Exception {
    UpstreamClient client = connectThroughProxy(rig.tracing(), settings(0, 10));
    String trace = "4bf92f3577b34da6a3ce929d0e0e4736";
    SpanContext unsampled = SpanContext.create(trace, "00f067aa0ba902b7", TraceFlags.getDefault(),
        TraceState.getDefault());
    try (Scope ignored = Context.root().with(Span.wrap(unsampled)).makeCurrent()) {
      client.request("tools/call", params("{\"name\":\"echo\",\"arguments\":{\"message\":\"hi\"}}"),
          RequestOptions.call(Duration.ofSeconds(10))).get(30, TimeUnit.SECONDS);
    }

    JsonNode sent = lastPost("tools/call");
    String inMeta = sent.at("/params/_meta/traceparent").asText();
    // a span of its own (not the caller's id), in the caller's trace, flagged not sampled
    assertThat(inMeta).startsWith("00-" + trace + "-").endsWith("-00").doesNotContain("00f067aa0ba902b7");
    assertThat(header(headersOf(sent), "traceparent")).isEqualTo(inMeta);
    assertThat(spans()).extracting(SpanData::getName).doesNotContain("tools/call echo");
  }

  @Test
  void theCallersParamsStayAsTheyWereAndAStaleContextInTheirMetaIsReplaced() throws Exception {
    UpstreamClient client = connectThroughProxy(rig.tracing(), settings(0, 10));
    ObjectNode params = params("{\"name\":\"echo\",\"arguments\":{\"message\":\"hi\"},\"_meta\":{\"progressToken\":7,"
        + "\"traceparent\":\"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01\",\"tracestate\":\"old=1\"}}");
    ObjectNode before = params.deepCopy();

    client.request("tools/call", params, RequestOptions.call(Duration.ofSeconds(10))).get(30, TimeUnit.SECONDS);

    assertThat(params).isEqualTo(before);
    JsonNode meta = lastPost("tools/call").at("/params/_meta");
    assertThat(meta.get("progressToken").asInt()).isEqualTo(7);
    assertThat(meta.get("traceparent").asText()).startsWith(traceparent(span("tools/call echo")));
    assertThat(meta.has("tracestate")).as("a tracestate of another trace does not travel on").isFalse();
  }

  @Test
  void aStdioUpstreamGetsTheContextInMetaAndItsSpanSaysPipe() throws Exception {
    rig.pool = UpstreamConnections.builder(settings(0, 10)).tracer(GatewayTelemetry.create(rig.tracing()).upstreamRequests()).build();
    UpstreamSpec spec = new UpstreamSpec("meta", UpstreamSpec.Transport.STDIO, null, NodePeers.node().toString(),
        List.of(NodePeers.resource("meta-server.mjs").toString()),
        Map.of("MCP_SDK_DIR", NodePeers.nodeModules().resolve("@modelcontextprotocol/sdk").toString()), Map.of());
    UpstreamClient client = rig.pool.connect("g1", spec, UpstreamListener.NONE).get(30, TimeUnit.SECONDS);

    JsonNode result = client.request("tools/call", params("{\"name\":\"meta\",\"arguments\":{}}"),
        RequestOptions.call(Duration.ofSeconds(10))).get(30, TimeUnit.SECONDS);

    SpanData call = span("tools/call meta");
    JsonNode received = MessageJson.MAPPER.readTree(result.at("/content/0/text").asText());
    assertThat(received.path("traceparent").asText()).startsWith(traceparent(call));
    assertThat(call.getAttributes().get(McpAttributes.NETWORK_TRANSPORT)).isEqualTo("pipe");
    assertThat(call.getAttributes().get(McpAttributes.SERVER_ADDRESS)).isNull();
    assertThat(span("initialize").getKind()).isEqualTo(SpanKind.CLIENT);
  }

  @Test
  void aLegacySseUpstreamGetsTheContextInTheHeadersAndMetaOfItsPosts() throws Exception {
    rig.tracing();
    try (EverythingServer sse = EverythingServer.start(EverythingServer.Mode.SSE, tmp)) {
      rig.proxy = FaultyHttpProxy.start("http://127.0.0.1:" + sse.port());
      rig.pool = UpstreamConnections.builder(settings(0, 10)).tracer(GatewayTelemetry.create(rig.observability).upstreamRequests()).build();
      UpstreamClient client = rig.pool.connect("g1", new UpstreamSpec("legacy", UpstreamSpec.Transport.SSE,
          rig.proxy.url("/sse"), null, List.of(), Map.of(), Map.of()), UpstreamListener.NONE).get(30, TimeUnit.SECONDS);

      client.request("tools/call", params("{\"name\":\"echo\",\"arguments\":{\"message\":\"hi\"}}"),
          RequestOptions.call(Duration.ofSeconds(10))).get(30, TimeUnit.SECONDS);

      SpanData call = span("tools/call echo");
      JsonNode sent = lastPost("tools/call");
      assertThat(sent.at("/params/_meta/traceparent").asText()).startsWith(traceparent(call));
      assertThat(header(headersOf(sent), "traceparent")).startsWith(traceparent(call));
      assertThat(call.getAttributes().get(McpAttributes.MCP_SESSION_ID)).as("the endpoint's sessionId").isNotBlank();
      assertThat(call.getAttributes().get(McpAttributes.NETWORK_TRANSPORT)).isEqualTo("tcp");
    }
  }

  @Test
  void anErrorAnswerFailsTheSpanWithItsJsonRpcCode() throws Exception {
    UpstreamClient client = connectThroughProxy(rig.tracing(), settings(0, 10));

    UpstreamException e = failure(client.request("prompts/get", params("{\"name\":\"nope\"}"),
        RequestOptions.call(Duration.ofSeconds(10))));

    assertThat(e.kind()).isEqualTo(UpstreamException.Kind.RPC_ERROR);
    SpanData get = span("prompts/get nope");
    assertThat(get.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(get.getStatus().getDescription()).contains("Prompt nope not found");
    assertThat(get.getAttributes().get(McpAttributes.ERROR_TYPE)).isEqualTo("-32602");
    assertThat(get.getAttributes().get(GenAiAttributes.GEN_AI_PROMPT_NAME)).isEqualTo("nope");
  }

  @Test
  void aToolResultWithIsErrorFailsTheSpanAsToolError() throws Exception {
    UpstreamClient client = connectThroughProxy(rig.tracing(), settings(0, 10));

    JsonNode result = client.request("tools/call", params("{\"name\":\"echo\",\"arguments\":{}}"),
        RequestOptions.call(Duration.ofSeconds(10))).get(30, TimeUnit.SECONDS);

    assertThat(result.path("isError").asBoolean()).isTrue();
    SpanData call = span("tools/call echo");
    assertThat(call.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(call.getAttributes().get(McpAttributes.ERROR_TYPE)).isEqualTo("tool_error");
  }

  @Test
  void eachRetryIsAnEventOnTheOneClientSpan() throws Exception {
    UpstreamClient client = connectThroughProxy(rig.tracing(), settings(2, 10));
    rig.proxy.failNextPosts(2, 503);

    client.request("tools/list", params("{}"), RequestOptions.idempotent(Duration.ofSeconds(10)))
        .get(30, TimeUnit.SECONDS);

    SpanData list = span("tools/list");
    List<EventData> retries = list.getEvents().stream().filter(e -> e.getName().equals("retry")).toList();
    assertThat(retries).hasSize(2);
    assertThat(retries).extracting(e -> e.getAttributes().get(UpstreamAttributes.RETRY_ATTEMPT)).containsExactly(1L, 2L);
    assertThat(retries).allSatisfy(e -> {
      assertThat(e.getAttributes().get(McpAttributes.ERROR_TYPE)).isEqualTo("unavailable");
      assertThat(e.getAttributes().get(UpstreamAttributes.RETRY_BACKOFF_MS)).isNotNull().isGreaterThanOrEqualTo(0L);
    });
    assertThat(list.getAttributes().get(UpstreamAttributes.RETRY_COUNT)).isEqualTo(2L);
    assertThat(list.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(spans().stream().filter(s -> s.getName().equals("tools/list"))).as("one span for all attempts")
        .hasSize(1);
  }

  @Test
  void theCallThatOpensTheBreakerShowsTheTransitionAndTheNextIsRefusedWithTheOpenState() throws Exception {
    UpstreamClient client = connectThroughProxy(rig.tracing(), settings(0, 2));
    rig.proxy.failNextPosts(2, 503);
    failure(client.request("tools/call", params("{\"name\":\"echo\",\"arguments\":{\"message\":\"1\"}}"),
        RequestOptions.call(Duration.ofSeconds(10))));
    failure(client.request("tools/call", params("{\"name\":\"echo\",\"arguments\":{\"message\":\"2\"}}"),
        RequestOptions.call(Duration.ofSeconds(10))));
    SpanData opening = span("tools/call echo");

    UpstreamException refused = failure(client.request("tools/call",
        params("{\"name\":\"echo\",\"arguments\":{\"message\":\"3\"}}"), RequestOptions.call(Duration.ofSeconds(10))));

    assertThat(refused.kind()).isEqualTo(UpstreamException.Kind.CIRCUIT_OPEN);
    assertThat(opening.getAttributes().get(McpAttributes.ERROR_TYPE)).isEqualTo("unavailable");
    assertThat(opening.getEvents()).filteredOn(e -> e.getName().equals("circuit_breaker.state_change"))
        .singleElement().satisfies(e -> {
          assertThat(e.getAttributes().get(UpstreamAttributes.CIRCUIT_BREAKER_FROM)).isEqualTo("CLOSED");
          assertThat(e.getAttributes().get(UpstreamAttributes.CIRCUIT_BREAKER_TO)).isEqualTo("OPEN");
        });
    await().atMost(Duration.ofSeconds(10)).until(() -> spans().stream()
        .filter(s -> s.getName().equals("tools/call echo")).count() == 3);
    SpanData rejected = spans().stream().filter(s -> s.getName().equals("tools/call echo")).toList().get(2);
    assertThat(rejected.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(rejected.getAttributes().get(McpAttributes.ERROR_TYPE)).isEqualTo("circuit_open");
    assertThat(rejected.getAttributes().get(UpstreamAttributes.CIRCUIT_BREAKER_STATE)).isEqualTo("OPEN");
    assertThat(rejected.getAttributes().get(McpAttributes.JSONRPC_REQUEST_ID)).as("never sent").isNull();
  }

  @Test
  void aToolCallWhoseConnectionIsRefusedIsRetriedUntilItsDeadlineAndEndsAsTimeout() throws Exception {
    UpstreamClient client = connectThroughProxy(rig.tracing(), new UpstreamSettings(Duration.ofSeconds(10),
        Duration.ofSeconds(10), 10, Duration.ofMillis(100), 100, Duration.ofSeconds(30)));
    rig.proxy.close(); // the port now refuses connections: the call never reaches anyone, so it is safe to try again

    UpstreamException e = failure(client.request("tools/call",
        params("{\"name\":\"echo\",\"arguments\":{\"message\":\"x\"}}"), RequestOptions.call(Duration.ofSeconds(1))));

    assertThat(e.kind()).isEqualTo(UpstreamException.Kind.TIMEOUT);
    SpanData call = span("tools/call echo");
    assertThat(call.getAttributes().get(McpAttributes.ERROR_TYPE)).isEqualTo("timeout");
    assertThat(call.getEvents()).filteredOn(ev -> ev.getName().equals("retry")).isNotEmpty()
        .allSatisfy(ev -> assertThat(ev.getAttributes().get(McpAttributes.ERROR_TYPE)).isEqualTo("unavailable"));
    rig.proxy = null;
  }

  @Test
  void withTracingDisabledRequestsGoOutUntouched() throws Exception {
    UpstreamClient client = connectThroughProxy(Observability.noop(), settings(0, 10));

    client.request("tools/call", params("{\"name\":\"echo\",\"arguments\":{\"message\":\"hi\"}}"),
        RequestOptions.call(Duration.ofSeconds(10))).get(30, TimeUnit.SECONDS);

    JsonNode sent = lastPost("tools/call");
    assertThat(sent.path("params").has("_meta")).isFalse();
    assertThat(header(headersOf(sent), "traceparent")).isNull();
  }
}
