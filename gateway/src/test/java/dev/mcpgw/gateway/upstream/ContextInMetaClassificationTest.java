package dev.mcpgw.gateway.upstream;

import static dev.mcpgw.gateway.upstream.UpstreamTransportBehaviour.params;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgw.gateway.jsonrpc.MessageJson;
import dev.mcpgw.gateway.store.UpstreamSpec;
import dev.mcpgw.gateway.testing.FaultyHttpProxy;
import dev.mcpgw.gateway.testing.conformance.ConformanceUpstream;
import dev.mcpgw.gateway.trace.GatewayTelemetry;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Propagation into {@code params._meta} never changes how an upstream classifies a request. The conformance upstream
 * tells 2026-07-28 (stateless) traffic from session traffic as the conformance suite's reference server does: a POST
 * without {@code Mcp-Session-Id} carrying a {@code _meta} is stateless, and refused when it lacks that revision's
 * header ({@code -32020 Missing MCP-Protocol-Version header}). With tracing on, the gateway's {@code initialize} and
 * every request to a server that hands out no session carry the trace context in their HTTP headers alone; inside a
 * session it also goes into {@code _meta}.
 */
class ContextInMetaClassificationTest {
  static ConformanceUpstream upstream;
  final UpstreamRig rig = new UpstreamRig();

  @BeforeAll
  static void startUpstream() throws Exception {
    upstream = ConformanceUpstream.start();
  }

  @AfterAll
  static void stopUpstream() throws Exception {
    upstream.close();
  }

  @AfterEach
  void closeAll() {
    rig.close();
  }

  /** Connects through a recording proxy to {@code url} of the conformance upstream, with tracing on. */
  private UpstreamClient connect(String url) throws Exception {
    rig.tracing();
    URI target = URI.create(url);
    rig.proxy = FaultyHttpProxy.start("http://127.0.0.1:" + target.getPort());
    rig.pool = UpstreamConnections.builder(new UpstreamSettings(Duration.ofSeconds(10), Duration.ofSeconds(10), 0,
        Duration.ofMillis(20), 10, Duration.ofSeconds(30)))
        .tracer(GatewayTelemetry.create(rig.observability).upstreamRequests()).build();
    UpstreamSpec spec = new UpstreamSpec("conformance", UpstreamSpec.Transport.STREAMABLE_HTTP,
        rig.proxy.url(target.getPath()), null, List.of(), Map.of(), Map.of());
    return rig.pool.connect("g1", spec, UpstreamListener.NONE).get(30, TimeUnit.SECONDS);
  }

  private SpanData span(String name) {
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      rig.observability.forceFlush(Duration.ofSeconds(10));
      return rig.memory.getFinishedSpanItems().stream().anyMatch(s -> s.getName().equals(name));
    });
    return rig.memory.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).reduce((a, b) -> b)
        .orElseThrow();
  }

  /** The body and headers of the last POST the proxy received for {@code method}. */
  private Post lastPost(String method) throws Exception {
    List<String> requests = rig.proxy.requests();
    for (int i = requests.size() - 1; i >= 0; i--) {
      String r = requests.get(i);
      if (r.startsWith("POST ") && r.indexOf('{') > 0) {
        JsonNode body = MessageJson.MAPPER.readTree(r.substring(r.indexOf('{')));
        if (method.equals(body.path("method").asText())) {
          return new Post(body, rig.proxy.requestHeaders().get(i));
        }
      }
    }
    throw new AssertionError("no POST of " + method + " among " + requests);
  }

  private record Post(JsonNode body, Map<String, List<String>> headers) {
    String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).findFirst()
          .map(e -> e.getValue().get(0)).orElse(null);
    }
  }

  private static String traceparent(SpanData span) {
    return "00-" + span.getTraceId() + "-" + span.getSpanId() + "-";
  }

  @Test
  void aServerThatReadsMetaWithoutASessionAsStatelessTrafficAcceptsTheInitializeOfATracedGateway() throws Exception {
    UpstreamClient client = connect(upstream.streamableUrl());

    assertThat(client.initializeResult().at("/serverInfo/name").asText()).isEqualTo(ConformanceUpstream.SERVER_NAME);
    Post initialize = lastPost("initialize");
    assertThat(initialize.body().path("params").has("_meta")).isFalse();
    assertThat(initialize.header("traceparent")).startsWith(traceparent(span("initialize")));
  }

  @Test
  void insideTheSessionTheContextGoesIntoMetaAndTheHeaders() throws Exception {
    UpstreamClient client = connect(upstream.streamableUrl());

    JsonNode result = client.request("tools/call", params("{\"name\":\"test_simple_text\",\"arguments\":{}}"),
        RequestOptions.call(Duration.ofSeconds(10))).get(30, TimeUnit.SECONDS);

    assertThat(result.at("/content/0/text").asText()).isNotBlank();
    Post call = lastPost("tools/call");
    String context = traceparent(span("tools/call test_simple_text"));
    assertThat(call.header("Mcp-Session-Id")).isNotBlank();
    assertThat(call.body().at("/params/_meta/traceparent").asText()).startsWith(context);
    assertThat(call.header("traceparent")).startsWith(context);
  }

  @Test
  void aServerThatHandsOutNoSessionGetsTheContextInTheHeadersAloneAndAnswers() throws Exception {
    UpstreamClient client = connect(upstream.sessionlessUrl());

    JsonNode result = client.request("tools/call", params("{\"name\":\"test_simple_text\",\"arguments\":{}}"),
        RequestOptions.call(Duration.ofSeconds(10))).get(30, TimeUnit.SECONDS);

    assertThat(result.at("/content/0/text").asText()).isEqualTo("This is a simple text response for testing.");
    Post call = lastPost("tools/call");
    assertThat(call.header("Mcp-Session-Id")).isNull();
    assertThat(call.header("MCP-Protocol-Version")).isEqualTo("2025-11-25");
    assertThat(call.body().path("params").has("_meta")).isFalse();
    assertThat(call.header("traceparent")).startsWith(traceparent(span("tools/call test_simple_text")));
  }
}
