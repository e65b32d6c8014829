package dev.mcpgw.gateway.trace;

import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.auth.Caller;
import dev.mcpgw.gateway.mcp.Downstream;
import dev.mcpgw.gateway.mcp.Exchange;
import dev.mcpgw.gateway.mcp.MessageDispatch;
import dev.mcpgw.observability.Observability;
import dev.mcpgw.observability.semconv.GatewayAttributes;
import dev.mcpgw.observability.semconv.GenAiAttributes;
import dev.mcpgw.observability.semconv.McpAttributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class McpServerSpansTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Exchange EXCHANGE = new Exchange(new Caller("alice", "acme", false), "req-42",
      dev.mcpgw.gateway.catalog.Scope.ALL, "session-7", Downstream.NONE);

  private final RecordingTracing tracing = RecordingTracing.start();

  @AfterEach
  void stop() {
    tracing.close();
  }

  private MessageDispatch traced(MessageDispatch next) {
    return GatewayTelemetry.create(tracing.observability()).dispatch().apply(next);
  }

  private static ObjectNode json(String text) throws Exception {
    return (ObjectNode) JSON.readTree(text);
  }

  private static MessageDispatch answering(String response) {
    return (message, exchange) -> {
      try {
        return response == null ? null : json(response);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
  }

  @Test
  void aToolCallIsOneServerSpanNamedAfterTheToolWithMcpAndSeedAttributes() throws Exception {
    traced(answering("{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{\"content\":[]}}")).dispatch(json(
        "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\",\"arguments\":{}}}"),
        EXCHANGE);

    SpanData span = tracing.await("tools/call echo", SpanKind.SERVER);
    assertThat(span).hasStatus(io.opentelemetry.sdk.trace.data.StatusData.unset());
    assertDescribesEchoCall(span, "3");
  }

  /** Every attribute of EXCHANGE's call of {@code echo} with JSON-RPC id {@code id}. */
  private static void assertDescribesEchoCall(SpanData span, String id) {
    assertThat(span)
        .hasAttribute(McpAttributes.MCP_METHOD_NAME, "tools/call")
        .hasAttribute(GenAiAttributes.GEN_AI_TOOL_NAME, "echo")
        .hasAttribute(GatewayAttributes.TOOL_NAME, "echo")
        .hasAttribute(McpAttributes.JSONRPC_REQUEST_ID, id)
        .hasAttribute(McpAttributes.MCP_SESSION_ID, "session-7")
        .hasAttribute(GatewayAttributes.USER_ID, "alice")
        .hasAttribute(GatewayAttributes.TENANT_ID, "acme")
        .hasAttribute(GatewayAttributes.REQUEST_ID, "req-42")
        .hasAttribute(GenAiAttributes.OPENINFERENCE_SPAN_KIND, "TOOL")
        .hasAttribute(GenAiAttributes.GEN_AI_OPERATION_NAME, "execute_tool");
  }

  @Test
  void promptsAndResourcesCarryTheirTargetAndOtherMethodsTheMethodOnly() throws Exception {
    MessageDispatch d = traced(answering("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}"));
    d.dispatch(json("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"prompts/get\",\"params\":{\"name\":\"greet\"}}"), EXCHANGE);
    d.dispatch(json("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"resources/read\",\"params\":{\"uri\":\"docs://a\"}}"),
        EXCHANGE);
    d.dispatch(json("{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"method\":\"tools/list\"}"), EXCHANGE);

    assertThat(tracing.await("prompts/get greet", SpanKind.SERVER))
        .hasAttribute(GenAiAttributes.GEN_AI_PROMPT_NAME, "greet")
        .hasAttribute(GenAiAttributes.OPENINFERENCE_SPAN_KIND, "CHAIN");
    // a URI is not low-cardinality: attribute only, never the name
    assertThat(tracing.await("resources/read", SpanKind.SERVER))
        .hasAttribute(McpAttributes.MCP_RESOURCE_URI, "docs://a");
    assertThat(tracing.await("tools/list", SpanKind.SERVER)).hasAttribute(McpAttributes.JSONRPC_REQUEST_ID, "x");
  }

  @Test
  void notificationsGetASpanWithoutRequestIdAndClientResponsesNone() throws Exception {
    MessageDispatch d = traced(answering(null));
    d.dispatch(json("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}"), EXCHANGE);
    d.dispatch(json("{\"jsonrpc\":\"2.0\",\"id\":9,\"result\":{}}"), EXCHANGE);

    SpanData span = tracing.await("notifications/initialized", SpanKind.SERVER);
    assertThat(span.getAttributes().get(McpAttributes.JSONRPC_REQUEST_ID)).isNull();
    assertThat(tracing.spans()).hasSize(1);
  }

  @Test
  void theHttpSpanIsTheParentWhenMetaCarriesNoContext() throws Exception {
    Span http = tracing.observability().tracer().spanBuilder("POST /mcp").setSpanKind(SpanKind.SERVER).startSpan();
    try (var ignored = http.makeCurrent()) {
      traced(answering("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}"))
          .dispatch(json("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"_meta\":{}}}"), EXCHANGE);
    } finally {
      http.end();
    }
    SpanData ping = tracing.await("ping", SpanKind.SERVER);
    assertThat(ping).hasParentSpanId(http.getSpanContext().getSpanId()).hasTraceId(http.getSpanContext().getTraceId());
    assertThat(ping.getLinks()).isEmpty();
  }

  @Test
  void contextInMetaWinsOverTheHttpSpanWhichIsLinked() throws Exception {
    String clientTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
    String clientSpan = "00f067aa0ba902b7";
    Span http = tracing.observability().tracer().spanBuilder("POST /mcp").setSpanKind(SpanKind.SERVER).startSpan();
    AtomicReference<Span> currentInside = new AtomicReference<>();
    try (var ignored = http.makeCurrent()) {
      traced((message, exchange) -> {
        currentInside.set(Span.current());
        return JSON.createObjectNode();
      }).dispatch(json("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\","
          + "\"_meta\":{\"traceparent\":\"00-" + clientTrace + "-" + clientSpan + "-01\"}}}"), EXCHANGE);
    } finally {
      http.end();
    }
    SpanData call = tracing.await("tools/call echo", SpanKind.SERVER);
    assertThat(call).hasTraceId(clientTrace).hasParentSpanId(clientSpan);
    assertThat(call.getLinks()).singleElement()
        .satisfies(link -> assertThat(link.getSpanContext()).isEqualTo(http.getSpanContext()));
    // the work below runs in the MCP span, so its children join the client's trace
    assertThat(currentInside.get().getSpanContext().getSpanId()).isEqualTo(call.getSpanId());
  }

  @Test
  void aStatelessRequestHasNoSessionIdOnItsSpanAndItsParentFromMeta() throws Exception {
    Exchange stateless = new Exchange(new Caller("alice", "acme", false), "req-43",
        dev.mcpgw.gateway.catalog.Scope.ALL, null, Downstream.NONE);
    String clientTrace = "5bf92f3577b34da6a3ce929d0e0e4737";
    String clientSpan = "10f067aa0ba902b8";

    traced(answering("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"content\":[],\"resultType\":\"complete\"}}"))
        .dispatch(json("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\","
            + "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
            + "\"io.modelcontextprotocol/clientCapabilities\":{},"
            + "\"traceparent\":\"00-" + clientTrace + "-" + clientSpan + "-01\"}}}"), stateless);

    SpanData call = tracing.await("tools/call echo", SpanKind.SERVER);
    assertThat(call).hasTraceId(clientTrace).hasParentSpanId(clientSpan);
    assertThat(call.getAttributes().get(McpAttributes.MCP_SESSION_ID)).isNull();
  }

  @Test
  void aJsonRpcErrorMarksTheSpanWithItsCode() throws Exception {
    traced(answering("{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32602,\"message\":\"Unknown tool: nope\"}}"))
        .dispatch(json("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"nope\"}}"),
            EXCHANGE);
    assertThat(tracing.await("tools/call nope", SpanKind.SERVER))
        .hasStatus(io.opentelemetry.sdk.trace.data.StatusData.create(StatusCode.ERROR, "Unknown tool: nope"))
        .hasAttribute(McpAttributes.ERROR_TYPE, "-32602")
        .hasAttribute(McpAttributes.RPC_RESPONSE_STATUS_CODE, "-32602");
  }

  @Test
  void aToolResultWithIsErrorIsAToolError() throws Exception {
    traced(answering("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"isError\":true,\"content\":[]}}"))
        .dispatch(json("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"fail\"}}"),
            EXCHANGE);
    SpanData span = tracing.await("tools/call fail", SpanKind.SERVER);
    assertThat(span).hasAttribute(McpAttributes.ERROR_TYPE, "tool_error");
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
  }

  @Test
  void aBlockingPluginIsNamedWithItsReason() throws Exception {
    traced(answering("{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32001,\"message\":\"blocked by plugin 'deny':"
        + " tool is denied\",\"data\":{\"plugin\":\"deny\",\"hook\":\"tool_pre_invoke\",\"reason\":\"tool is denied\"}}}"))
        .dispatch(json("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"rm\"}}"), EXCHANGE);
    SpanData span = tracing.await("tools/call rm", SpanKind.SERVER);
    assertThat(span).hasAttribute(McpAttributes.ERROR_TYPE, "-32001");
    assertThat(span.getEvents()).singleElement().satisfies(e -> {
      assertThat(e.getName()).isEqualTo("plugin.blocked");
      assertThat(e.getAttributes().get(GatewayAttributes.PLUGIN_NAME)).isEqualTo("deny");
      assertThat(e.getAttributes().get(GatewayAttributes.PLUGIN_HOOK)).isEqualTo("tool_pre_invoke");
      assertThat(e.getAttributes().get(GatewayAttributes.PLUGIN_REASON)).isEqualTo("tool is denied");
    });
  }

  @Test
  void initializeRecordsTheNegotiatedProtocolVersionAndLaterMessagesTheHeaders() throws Exception {
    traced(answering("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"protocolVersion\":\"2025-06-18\"}}"))
        .dispatch(json("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{}}"), EXCHANGE);
    try (var ignored = Context.current().with(McpServerSpans.PROTOCOL_VERSION, "2025-03-26").makeCurrent()) {
      traced(answering("{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{}}"))
          .dispatch(json("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}"), EXCHANGE);
    }
    assertThat(tracing.await("initialize", SpanKind.SERVER)).hasAttribute(McpAttributes.MCP_PROTOCOL_VERSION, "2025-06-18");
    assertThat(tracing.await("ping", SpanKind.SERVER)).hasAttribute(McpAttributes.MCP_PROTOCOL_VERSION, "2025-03-26");
  }

  @Test
  void aDispatcherThatThrowsIsRecordedAndTheExceptionGoesOnUnchanged() throws Exception {
    IllegalStateException boom = new IllegalStateException("dispatcher broke");
    MessageDispatch d = traced((message, exchange) -> {
      throw boom;
    });
    assertThatThrownBy(() -> d.dispatch(json("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}"), EXCHANGE))
        .isSameAs(boom);
    SpanData span = tracing.await("ping", SpanKind.SERVER);
    assertThat(span).hasAttribute(McpAttributes.ERROR_TYPE, IllegalStateException.class.getName());
    assertThat(span.getEvents()).extracting(e -> e.getName()).containsExactly("exception");
  }

  @Test
  void oddMessagesAreStillAnsweredWhateverTheirShape() throws Exception {
    MessageDispatch d = traced(answering("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}"));
    // params that are not an object, a _meta that is not an object, a non-text name
    assertThat(d.dispatch(json("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":[1]}"), EXCHANGE))
        .isNotNull();
    assertThat(d.dispatch(json("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":7,"
        + "\"_meta\":\"x\"}}"), EXCHANGE)).isNotNull();
    assertThat(tracing.spans()).extracting(SpanData::getName).containsExactly("tools/call", "tools/call");
  }

  @Test
  void aMessageSampledThroughItsMetaBelowAnUnsampledHttpSpanStillGetsEveryAttribute() throws Exception {
    // the root is never sampled, a sampled remote parent is followed: the HTTP span drops, the MCP span records
    try (RecordingTracing parentOnly = RecordingTracing.start(Map.of("OTEL_TRACES_SAMPLER", "parentbased_always_off"))) {
      Span http = parentOnly.observability().tracer().spanBuilder("POST /mcp").setSpanKind(SpanKind.SERVER).startSpan();
      assertThat(http.isRecording()).isFalse();
      try (var ignored = http.makeCurrent()) {
        GatewayTelemetry.create(parentOnly.observability()).dispatch()
            .apply(answering("{\"jsonrpc\":\"2.0\",\"id\":5,\"result\":{\"content\":[]}}"))
            .dispatch(json("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\","
                + "\"_meta\":{\"traceparent\":\"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\"}}}"), EXCHANGE);
      } finally {
        http.end();
      }
      SpanData call = parentOnly.await("tools/call echo", SpanKind.SERVER);
      assertThat(call).hasTraceId("4bf92f3577b34da6a3ce929d0e0e4736");
      assertDescribesEchoCall(call, "5");
      assertThat(parentOnly.spans()).extracting(SpanData::getName).containsExactly("tools/call echo");
    }
  }

  @Test
  void anUnsampledMessageIsNotReadForAttributesButItsContextStillGoesDownstream() throws Exception {
    try (RecordingTracing never = RecordingTracing.start(Map.of("OTEL_TRACES_SAMPLER", "always_off"))) {
      AtomicInteger reads = new AtomicInteger();
      ObjectNode message = new ObjectNode(JSON.getNodeFactory()) {
        @Override
        public com.fasterxml.jackson.databind.JsonNode get(String field) {
          if (field.equals("id")) {
            reads.incrementAndGet();
          }
          return super.get(field);
        }
      };
      message.setAll(json("{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\"}}"));
      AtomicReference<Span> inside = new AtomicReference<>();
      MessageDispatch answering = answering("{\"jsonrpc\":\"2.0\",\"id\":9,\"result\":{\"isError\":true}}");
      ObjectNode answer = GatewayTelemetry.create(never.observability()).dispatch().apply((m, exchange) -> {
        inside.set(Span.current());
        return answering.dispatch(m, exchange);
      }).dispatch(message, EXCHANGE);

      assertThat(answer.path("result").path("isError").asBoolean()).isTrue();
      // the id is an attribute only: a span that records nothing never asks for it
      assertThat(reads).hasValue(0);
      // the work below still runs in a context of its own, so upstreams learn the call was not sampled
      assertThat(inside.get().getSpanContext().isValid()).isTrue();
      assertThat(inside.get().getSpanContext().isSampled()).isFalse();
      assertThat(never.spans()).isEmpty();
    }
  }

  @Test
  void disabledObservabilityLeavesTheDispatcherUndecorated() {
    MessageDispatch plain = answering(null);
    GatewayTelemetry off = GatewayTelemetry.create(Observability.noop());
    assertThat(off.enabled()).isFalse();
    assertThat(off.dispatch().apply(plain)).isSameAs(plain);
    assertThat(off.httpFilters(new dev.mcpgw.gateway.http.ApiRoutes())).isEmpty();
  }
}
