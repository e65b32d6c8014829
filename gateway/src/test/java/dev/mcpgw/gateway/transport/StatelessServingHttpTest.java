package dev.mcpgw.gateway.transport;

import static dev.mcpgw.gateway.transport.McpHttpServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.jsonrpc.JsonRpc;
import dev.mcpgw.gateway.mcp.ScriptedUpstreams;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Well-formed requests of the stateless revision 2026-07-28 on the Streamable HTTP endpoint: served without a
 * session, with {@code resultType} and caching hints, after the headers that mirror the body were checked; the
 * session era's methods are gone from this revision.
 */
class StatelessServingHttpTest {
  private static final String META = "{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
      + "\"io.modelcontextprotocol/clientCapabilities\":{}}";
  private final ScriptedUpstreams scripted = new ScriptedUpstreams();
  private McpHttpServer server;

  @BeforeEach
  void start() throws Exception {
    server = McpHttpServer.alphaEcho(scripted, (u, method, params) -> {
      ObjectNode r = JsonRpc.MAPPER.createObjectNode();
      if (params.has("inputResponses")) {
        r.putArray("content").addObject().put("type", "text").put("text", params.path("requestState").asText());
      } else {
        r.put("resultType", "input_required").put("requestState", "upstream-state");
        r.putObject("inputRequests").putObject("q").put("method", "roots/list");
      }
      return CompletableFuture.completedFuture(r);
    });
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  private HttpResponse<String> send(String method, String params, Map<String, String> extra) throws Exception {
    Map<String, String> headers = new HashMap<>(Map.of("MCP-Protocol-Version", "2026-07-28", "Mcp-Method", method));
    headers.putAll(extra);
    String body = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"" + method + "\",\"params\":{" + params
        + (params.isEmpty() ? "" : ",") + "\"_meta\":" + META + "}}";
    return server.send(server.post("/mcp", body, headers));
  }

  @Test
  void aToolsListIsServedWithoutASessionWithResultTypeAndPrivateCachingHints() throws Exception {
    HttpResponse<String> r = send("tools/list", "", Map.of());

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("Mcp-Session-Id")).isEmpty();
    JsonNode result = json(r.body()).path("result");
    assertThat(result.at("/tools/0/name").asText()).isEqualTo("alpha-echo");
    assertThat(result.path("resultType").asText()).isEqualTo("complete");
    assertThat(result.path("ttlMs").asInt(-1)).isZero();
    assertThat(result.path("cacheScope").asText()).isEqualTo("private");
  }

  @Test
  void serverDiscoverNamesTheRevisionsTheCapabilitiesAndTheGateway() throws Exception {
    JsonNode result = json(send("server/discover", "", Map.of()).body()).path("result");

    assertThat(result.path("supportedVersions")).extracting(JsonNode::asText).contains("2026-07-28", "2025-11-25");
    assertThat(result.at("/capabilities/tools/listChanged").asBoolean()).isTrue();
    assertThat(result.at("/_meta/io.modelcontextprotocol~1serverInfo/name").asText()).isEqualTo("mcpgw");
  }

  @Test
  void aRequestWithoutTheMcpMethodHeaderIsRefusedWithMinus32020() throws Exception {
    String body = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/list\",\"params\":{\"_meta\":" + META + "}}";
    HttpResponse<String> r = server.send(server.post("/mcp", body, Map.of("MCP-Protocol-Version", "2026-07-28")));

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(json(r.body()).at("/error/code").asInt()).isEqualTo(-32020);
    assertThat(json(r.body()).path("id").asInt()).isEqualTo(7);
  }

  @Test
  void aToolsCallWhoseMcpNameDisagreesWithTheBodyIsRefusedWithMinus32020() throws Exception {
    HttpResponse<String> r = send("tools/call", "\"name\":\"alpha-echo\",\"arguments\":{}",
        Map.of("Mcp-Name", "alpha-other"));

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(json(r.body()).at("/error/code").asInt()).isEqualTo(-32020);
    assertThat(scripted.received).isEmpty();
  }

  @Test
  void theSessionErasMethodsAreAnswered404MethodNotFound() throws Exception {
    for (String method : new String[] {"ping", "initialize", "logging/setLevel", "resources/subscribe"}) {
      HttpResponse<String> r = send(method, "", Map.of());

      assertThat(r.statusCode()).as(method).isEqualTo(404);
      assertThat(json(r.body()).at("/error/code").asInt()).as(method).isEqualTo(-32601);
    }
  }

  @Test
  void anInputRequiredResultOfTheUpstreamReachesTheClientAndItsRetryReachesTheUpstream() throws Exception {
    Map<String, String> name = Map.of("Mcp-Name", "alpha-echo");
    JsonNode first = json(send("tools/call", "\"name\":\"alpha-echo\",\"arguments\":{}", name).body()).path("result");

    assertThat(first.path("resultType").asText()).isEqualTo("input_required");
    assertThat(first.at("/inputRequests/q/method").asText()).isEqualTo("roots/list");
    String state = first.path("requestState").asText();

    JsonNode second = json(send("tools/call", "\"name\":\"alpha-echo\",\"arguments\":{},\"requestState\":\"" + state
        + "\",\"inputResponses\":{\"q\":{\"roots\":[]}}", name).body()).path("result");

    assertThat(second.path("resultType").asText()).isEqualTo("complete");
    assertThat(second.at("/content/0/text").asText()).isEqualTo("upstream-state");
  }
}
