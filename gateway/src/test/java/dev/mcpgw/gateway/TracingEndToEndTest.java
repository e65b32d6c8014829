package dev.mcpgw.gateway;

import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgw.gateway.config.GatewaySettings;
import dev.mcpgw.gateway.testing.EverythingServer;
import dev.mcpgw.gateway.trace.RecordingTracing;
import dev.mcpgw.observability.semconv.GatewayAttributes;
import dev.mcpgw.observability.semconv.McpAttributes;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.semconv.HttpAttributes;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One trace per request through a real gateway (SQLite registry, real upstream client, plugins from
 * {@code config/mcpgw.yaml}) to {@code @modelcontextprotocol/server-everything} over Streamable HTTP, recorded by the
 * SDK's in-memory exporter beside an exporter that throws on every batch.
 */
class TracingEndToEndTest {
  private static final AttributeKey<String> DB_SYSTEM_NAME = AttributeKey.stringKey("db.system.name");
  private static final AttributeKey<String> DB_SYSTEM = AttributeKey.stringKey("db.system");
  private static final AttributeKey<String> DB_QUERY_TEXT = AttributeKey.stringKey("db.query.text");
  private static final AttributeKey<String> DB_STATEMENT = AttributeKey.stringKey("db.statement");

  @TempDir Path tmp;
  private final AtomicInteger throwingExports = new AtomicInteger();
  private RecordingTracing tracing;
  private EverythingServer everything;
  private TestGateway gw;

  @BeforeEach
  void start() throws Exception {
    tracing = RecordingTracing.start(Map.of(), new ThrowingExporter(throwingExports));
    everything = EverythingServer.start(EverythingServer.Mode.STREAMABLE_HTTP, tmp);
    Files.createDirectories(tmp.resolve("config"));
    Files.writeString(tmp.resolve("config/mcpgw.yaml"), """
        plugins:
          - name: deny
            kind: deny_list
            priority: 10
            config:
              tools: ["*-get-env"]
          - name: mask-arguments
            kind: pii_filter
            priority: 30
            hooks: [tool_pre_invoke]
            config: {detect: [email]}
        """);
    GatewaySettings settings = TestGateway.settings(tmp,
        new GatewaySettings.Database("jdbc:sqlite:" + tmp.resolve("reg.db"), null, null, 4), Map.of());
    gw = TestGateway.start(settings, GatewayApplication.Parts.production().withObservability(s -> tracing.observability()));
    gw.post("/gateways", "{\"name\":\"everything\",\"transport\":\"streamablehttp\",\"url\":\"" + everything.url() + "\"}");
    gw.post("/prompts", "{\"name\":\"greet\",\"template\":\"Hello {{ who }}\",\"arguments\":[{\"name\":\"who\"}]}");
    gw.post("/resources", "{\"uri\":\"docs://guide\",\"content\":\"# Guide\",\"mimeType\":\"text/markdown\"}");
  }

  @AfterEach
  void stop() {
    if (gw != null) {
      gw.close();
    }
    everything.close();
    tracing.close();
  }

  @Test
  void aToolCallIsOneTreeFromTheHttpSpanThroughTheMcpSpanToLookupAndPlugins() throws Exception {
    Session s = new Session(gw.userToken());
    HttpResponse<String> r = s.post("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\",\"params\":{\"name\":"
        + "\"everything-echo\",\"arguments\":{\"message\":\"hi ann@example.com\"}}}", Map.of("X-Request-ID", "find-me-42"));
    assertThat(TestGateway.JSON.readTree(r.body()).at("/result/content/0/text").asText()).startsWith("Echo: hi ");

    SpanData http = tracing.await(sd -> sd.getKind() == SpanKind.SERVER && sd.getName().equals("POST /mcp")
        && "find-me-42".equals(sd.getAttributes().get(GatewayAttributes.REQUEST_ID)));
    assertThat(http).hasAttribute(HttpAttributes.HTTP_RESPONSE_STATUS_CODE, 200L)
        .hasAttribute(HttpAttributes.HTTP_ROUTE, "/mcp");
    assertThat(r.headers().firstValue("traceresponse")).hasValue("00-" + http.getTraceId() + "-" + http.getSpanId()
        + "-" + http.getSpanContext().getTraceFlags().asHex());
    assertThat(r.headers().firstValue("X-Request-ID")).hasValue("find-me-42");

    SpanData call = tracing.await("tools/call everything-echo", SpanKind.SERVER);
    assertThat(call).hasParentSpanId(http.getSpanId()).hasTraceId(http.getTraceId())
        .hasAttribute(McpAttributes.MCP_METHOD_NAME, "tools/call")
        .hasAttribute(GatewayAttributes.REQUEST_ID, "find-me-42")
        .hasAttribute(GatewayAttributes.USER_ID, "alice")
        .hasAttribute(GatewayAttributes.TENANT_ID, "acme")
        .hasAttribute(McpAttributes.MCP_SESSION_ID, s.id)
        .hasAttribute(McpAttributes.MCP_PROTOCOL_VERSION, "2025-11-25");
    assertThat(call.getAttributes().get(GatewayAttributes.TOOL_ID)).isNotBlank();
    assertThat(call.getEvents()).extracting(e -> e.getName())
        .containsSubsequence("tool.validation.completed", "plugin.pre_invoke.executed", "plugin.pre_invoke.executed");

    List<SpanData> children = tracing.children(call);
    SpanData lookup = children.stream().filter(c -> c.getName().equals("tool.lookup")).findFirst().orElseThrow();
    assertThat(lookup).hasKind(SpanKind.INTERNAL).hasAttribute(GatewayAttributes.TOOL_NAME, "everything-echo")
        .hasAttribute(GatewayAttributes.GATEWAY_NAME, "everything")
        .hasAttribute(GatewayAttributes.TOOL_ID, call.getAttributes().get(GatewayAttributes.TOOL_ID));
    assertThat(lookup.getAttributes().get(GatewayAttributes.GATEWAY_ID)).isNotBlank();
    assertThat(lookup.getEvents()).extracting(e -> e.getName()).containsExactly("tool.validation.completed");
    // the plugins in priority order, each with what it did
    List<SpanData> plugins = children.stream().filter(c -> c.getName().equals("plugin.tool_pre_invoke"))
        .sorted(java.util.Comparator.comparingLong(SpanData::getStartEpochNanos)).toList();
    assertThat(plugins).extracting(p -> p.getAttributes().get(GatewayAttributes.PLUGIN_NAME))
        .containsExactly("deny", "mask-arguments");
    assertThat(plugins.get(1)).hasAttribute(GatewayAttributes.PLUGIN_MODIFIED, true)
        .hasAttribute(GatewayAttributes.PLUGIN_OUTCOME, "proceeded")
        .hasAttribute(GatewayAttributes.PLUGIN_PRIORITY, 30L)
        .hasAttribute(GatewayAttributes.PLUGIN_MODE, "enforce");
    // every span of the request is in the one trace, none orphaned
    List<SpanData> trace = tracing.trace(http.getTraceId());
    List<String> ids = trace.stream().map(SpanData::getSpanId).toList();
    assertThat(trace).filteredOn(sd -> sd != http).allSatisfy(sd -> assertThat(ids).contains(sd.getParentSpanId()));
    assertThat(throwingExports).hasPositiveValue();
  }

  @Test
  void contextInMetaWinsOverTheHttpHeadersAndTheHttpSpanIsLinked() throws Exception {
    Session s = new Session(gw.userToken());
    String clientTrace = "0af7651916cd43dd8448eb211c80319c";
    s.post("{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"tools/call\",\"params\":{\"name\":\"everything-echo\","
        + "\"arguments\":{\"message\":\"x\"},\"_meta\":{\"traceparent\":\"00-" + clientTrace + "-b7ad6b7169203331-01\"}}}",
        Map.of("traceparent", "00-11111111111111111111111111111111-2222222222222222-01", "X-Request-ID", "meta-1"));

    SpanData http = tracing.await(sd -> "meta-1".equals(sd.getAttributes().get(GatewayAttributes.REQUEST_ID))
        && sd.getName().equals("POST /mcp"));
    assertThat(http).hasTraceId("11111111111111111111111111111111").hasParentSpanId("2222222222222222");
    SpanData call = tracing.await("tools/call everything-echo", SpanKind.SERVER);
    assertThat(call).hasTraceId(clientTrace).hasParentSpanId("b7ad6b7169203331");
    assertThat(call.getLinks()).singleElement().satisfies(l -> assertThat(l.getSpanContext().getSpanId())
        .isEqualTo(http.getSpanId()));
    assertThat(tracing.children(call)).extracting(SpanData::getName).contains("tool.lookup");
  }

  @Test
  void aBlockedCallShowsWhichPluginAndWhy() throws Exception {
    Session s = new Session(gw.userToken());
    JsonNode denied = TestGateway.JSON.readTree(s.post("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\","
        + "\"params\":{\"name\":\"everything-get-env\",\"arguments\":{}}}", Map.of()).body());
    assertThat(denied.at("/error/code").asInt()).isEqualTo(-32001);

    SpanData call = tracing.await("tools/call everything-get-env", SpanKind.SERVER);
    assertThat(call).hasAttribute(McpAttributes.ERROR_TYPE, "-32001");
    assertThat(call.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(call.getEvents()).filteredOn(e -> e.getName().equals("plugin.blocked")).singleElement()
        .satisfies(e -> {
          assertThat(e.getAttributes().get(GatewayAttributes.PLUGIN_NAME)).isEqualTo("deny");
          assertThat(e.getAttributes().get(GatewayAttributes.PLUGIN_REASON)).contains("is denied");
        });
    SpanData plugin = tracing.children(call).stream().filter(c -> c.getName().equals("plugin.tool_pre_invoke"))
        .findFirst().orElseThrow();
    assertThat(plugin).hasAttribute(GatewayAttributes.PLUGIN_NAME, "deny")
        .hasAttribute(GatewayAttributes.PLUGIN_OUTCOME, "blocked");
  }

  @Test
  void localPromptsAndResourcesGetRenderAndReadSpans() throws Exception {
    Session s = new Session(gw.userToken());
    s.post("{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"prompts/get\",\"params\":{\"name\":\"greet\","
        + "\"arguments\":{\"who\":\"Ada\"}}}", Map.of());
    s.post("{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"prompts/get\",\"params\":{\"name\":\"greet\","
        + "\"arguments\":{\"who\":\"Bob\"}}}", Map.of());
    s.post("{\"jsonrpc\":\"2.0\",\"id\":10,\"method\":\"resources/read\",\"params\":{\"uri\":\"docs://guide\"}}",
        Map.of());

    List<SpanData> renders = tracing.spans().stream().filter(sd -> sd.getName().equals("prompt.render")).toList();
    assertThat(renders).hasSize(2);
    assertThat(renders).extracting(sd -> sd.getAttributes().get(GatewayAttributes.PROMPT_TEMPLATE_CACHE_HIT))
        .containsExactly(false, true);
    assertThat(renders.get(0)).hasAttribute(GatewayAttributes.PROMPT_VARIABLES_COUNT, 1L)
        .hasAttribute(GatewayAttributes.PROMPT_MESSAGES_COUNT, 1L)
        .hasAttribute(GatewayAttributes.PROMPT_MESSAGES_CHARS, (long) "Hello Ada".length());
    assertThat(renders.get(0).getEvents()).extracting(e -> e.getName()).containsExactly("prompt.template.compiled");
    SpanData read = tracing.await("resource.read", SpanKind.INTERNAL);
    assertThat(read).hasAttribute(GatewayAttributes.RESOURCE_URI, "docs://guide")
        .hasAttribute(GatewayAttributes.RESOURCE_MIME_TYPE, "text/markdown")
        .hasAttribute(GatewayAttributes.RESOURCE_SIZE, (long) "# Guide".length());
    assertThat(read.getParentSpanId()).isEqualTo(tracing.await("resources/read", SpanKind.SERVER).getSpanId());
  }

  @Test
  void registryQueriesAreDatabaseSpansUnderTheAdminRequestWithoutLiteralValues() throws Exception {
    gw.post("/prompts", "{\"name\":\"secret-named-prompt\",\"template\":\"t\"}");
    SpanData http = tracing.await("POST /prompts", SpanKind.SERVER);
    List<SpanData> db = tracing.trace(http.getTraceId()).stream()
        .filter(sd -> sd.getKind() == SpanKind.CLIENT && sd.getAttributes().asMap().keySet().stream()
            .anyMatch(k -> k.getKey().startsWith("db."))).toList();
    assertThat(db).isNotEmpty();
    assertThat(db).allSatisfy(sd -> {
      String system = sd.getAttributes().get(DB_SYSTEM_NAME) != null ? sd.getAttributes().get(DB_SYSTEM_NAME)
          : sd.getAttributes().get(DB_SYSTEM);
      assertThat(system).isEqualTo("sqlite");
      String text = sd.getAttributes().get(DB_QUERY_TEXT) != null ? sd.getAttributes().get(DB_QUERY_TEXT)
          : sd.getAttributes().get(DB_STATEMENT);
      assertThat(text).doesNotContain("secret-named-prompt");
    });
  }

  /** An MCP session over raw JSON-RPC with the headers a current client sends. */
  private final class Session {
    final String token;
    final String id;

    Session(String token) throws Exception {
      this.token = token;
      HttpResponse<String> init = post("{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":"
          + "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}",
          null, Map.of());
      assertThat(init.statusCode()).as(init.body()).isEqualTo(200);
      this.id = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
    }

    HttpResponse<String> post(String body, Map<String, String> headers) throws Exception {
      return post(body, id, headers);
    }

    private HttpResponse<String> post(String body, String session, Map<String, String> headers) throws Exception {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.base + "/mcp")).timeout(Duration.ofSeconds(30))
          .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
          .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(body));
      if (session != null) {
        b.header("Mcp-Session-Id", session).header("MCP-Protocol-Version", "2025-11-25");
      }
      headers.forEach(b::header);
      return gw.send(b.build());
    }
  }

  /** An exporter whose backend always fails: the gateway must not notice. */
  private record ThrowingExporter(AtomicInteger calls) implements SpanExporter {
    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      calls.incrementAndGet();
      throw new IllegalStateException("backend exploded");
    }

    @Override
    public CompletableResultCode flush() {
      throw new IllegalStateException("flush exploded");
    }

    @Override
    public CompletableResultCode shutdown() {
      throw new IllegalStateException("shutdown exploded");
    }
  }
}
