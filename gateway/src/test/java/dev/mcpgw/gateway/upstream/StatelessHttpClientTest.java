package dev.mcpgw.gateway.upstream;

import static dev.mcpgw.gateway.upstream.UpstreamTransportBehaviour.params;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.store.UpstreamSpec;
import dev.mcpgw.gateway.testing.conformance.ConformanceUpstream;
import dev.mcpgw.gateway.upstream.UpstreamRig.Post;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gateway as a client of a server that speaks the stateless revision 2026-07-28 (the conformance upstream's
 * {@code /mcp}, which validates what that revision requires): registration by {@code server/discover}, every request
 * one POST with the revision in {@code _meta} and the headers that mirror the body, trace context in {@code _meta}
 * (SEP-414) and the headers, multi round-trip results passed through, list changes heard on a listen stream.
 */
class StatelessHttpClientTest {
  static ConformanceUpstream upstream;
  final List<String> notifications = new CopyOnWriteArrayList<>();
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

  private UpstreamClient connect() throws Exception {
    return rig.connectTraced(upstream.streamableUrl(), "draft", UpstreamSpec.Transport.STATELESS_HTTP,
        (method, p) -> notifications.add(method));
  }

  private JsonNode call(UpstreamClient client, String method, String params) throws Exception {
    return client.request(method, params(params), RequestOptions.call(Duration.ofSeconds(10)))
        .get(30, TimeUnit.SECONDS);
  }

  @Test
  void itRegistersWithServerDiscoverAndNeverInitializes() throws Exception {
    UpstreamClient client = connect();

    assertThat(client.initializeResult().path("protocolVersion").asText()).isEqualTo("2026-07-28");
    assertThat(client.initializeResult().at("/serverInfo/name").asText()).isEqualTo(ConformanceUpstream.SERVER_NAME);
    assertThat(client.health().connected()).isTrue();
    Post discover = rig.lastPost("server/discover");
    assertThat(discover.header("MCP-Protocol-Version")).isEqualTo("2026-07-28");
    assertThat(discover.header("Mcp-Method")).isEqualTo("server/discover");
    assertThat(discover.header("Mcp-Session-Id")).isNull();
    assertThat(rig.proxy.requests()).noneMatch(r -> r.contains("\"initialize\""));
  }

  @Test
  void aCallCarriesTheRevisionAndTraceContextInMetaAndTheHeadersThatMirrorItsBody() throws Exception {
    UpstreamClient client = connect();
    call(client, "tools/list", "{}");

    JsonNode result = call(client, "tools/call",
        "{\"name\":\"test_header_param\",\"arguments\":{\"region\":\"Zürich\"}}");

    assertThat(result.at("/content/0/text").asText()).isEqualTo("region=Zürich");
    Post post = rig.lastPost("tools/call");
    assertThat(post.header("Mcp-Name")).isEqualTo("test_header_param");
    assertThat(post.header("Mcp-Param-Region")).isEqualTo("=?base64?"
        + Base64.getEncoder().encodeToString("Zürich".getBytes(StandardCharsets.UTF_8)) + "?=");
    assertThat(post.body().at("/params/_meta/io.modelcontextprotocol~1protocolVersion").asText())
        .isEqualTo("2026-07-28");
    String context = "00-" + rig.span("tools/call test_header_param").getTraceId();
    assertThat(post.body().at("/params/_meta/traceparent").asText()).startsWith(context);
    assertThat(post.header("traceparent")).startsWith(context);
  }

  @Test
  void anInputRequiredResultComesBackAsItIsAndTheRetryWithTheAnswersCompletes() throws Exception {
    UpstreamClient client = connect();

    JsonNode first = call(client, "tools/call", "{\"name\":\"test_input_required_result_request_state\","
        + "\"arguments\":{}}");

    assertThat(first.path("resultType").asText()).isEqualTo("input_required");
    ObjectNode retry = params("{\"name\":\"test_input_required_result_request_state\",\"arguments\":{},"
        + "\"inputResponses\":{\"confirm\":{\"action\":\"accept\",\"content\":{\"ok\":\"yes\"}}}}");
    retry.set("requestState", first.get("requestState"));
    JsonNode done = client.request("tools/call", retry, RequestOptions.call(Duration.ofSeconds(10)))
        .get(30, TimeUnit.SECONDS);
    assertThat(done.at("/content/0/text").asText()).startsWith("state-ok");
  }

  @Test
  void theUpstreamsListChangesReachTheListenerOverAListenStream() throws Exception {
    UpstreamClient client = connect();
    await().atMost(Duration.ofSeconds(10))
        .until(() -> rig.proxy.requests().stream().anyMatch(r -> r.contains("subscriptions/listen")));

    call(client, "tools/call", "{\"name\":\"test_trigger_tool_change\",\"arguments\":{}}");

    await().atMost(Duration.ofSeconds(10)).until(() -> notifications.contains("notifications/tools/list_changed"));
  }
}
