package dev.mcpgw.gateway.upstream;

import static dev.mcpgw.gateway.upstream.UpstreamRig.traceparent;
import static dev.mcpgw.gateway.upstream.UpstreamTransportBehaviour.params;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgw.gateway.store.UpstreamSpec;
import dev.mcpgw.gateway.testing.conformance.ConformanceUpstream;
import dev.mcpgw.gateway.upstream.UpstreamRig.Post;
import java.time.Duration;
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
    return rig.connectTraced(url, "conformance", UpstreamSpec.Transport.STREAMABLE_HTTP, UpstreamListener.NONE);
  }

  @Test
  void aServerThatReadsMetaWithoutASessionAsStatelessTrafficAcceptsTheInitializeOfATracedGateway() throws Exception {
    UpstreamClient client = connect(upstream.streamableUrl());

    assertThat(client.initializeResult().at("/serverInfo/name").asText()).isEqualTo(ConformanceUpstream.SERVER_NAME);
    Post initialize = rig.lastPost("initialize");
    assertThat(initialize.body().path("params").has("_meta")).isFalse();
    assertThat(initialize.header("traceparent")).startsWith(traceparent(rig.span("initialize")));
  }

  @Test
  void insideTheSessionTheContextGoesIntoMetaAndTheHeaders() throws Exception {
    UpstreamClient client = connect(upstream.streamableUrl());

    JsonNode result = client.request("tools/call", params("{\"name\":\"test_simple_text\",\"arguments\":{}}"),
        RequestOptions.call(Duration.ofSeconds(10))).get(30, TimeUnit.SECONDS);

    assertThat(result.at("/content/0/text").asText()).isNotBlank();
    Post call = rig.lastPost("tools/call");
    String context = traceparent(rig.span("tools/call test_simple_text"));
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
    Post call = rig.lastPost("tools/call");
    assertThat(call.header("Mcp-Session-Id")).isNull();
    assertThat(call.header("MCP-Protocol-Version")).isEqualTo("2025-11-25");
    assertThat(call.body().path("params").has("_meta")).isFalse();
    assertThat(call.header("traceparent")).startsWith(traceparent(rig.span("tools/call test_simple_text")));
  }
}
