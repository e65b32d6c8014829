package dev.mcpgw.gateway.transport;

import static dev.mcpgw.gateway.transport.McpHttpServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgw.gateway.mcp.InMemoryCatalog;
import dev.mcpgw.gateway.mcp.RoutingUpstreamPool;
import dev.mcpgw.gateway.mcp.ScriptedUpstreams;
import dev.mcpgw.gateway.plugin.PluginChain;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Requests of the stateless 2026-07-28 revision on the Streamable HTTP endpoint: malformed ones are refused as that
 * revision says (HTTP 400, the request's id echoed), those of a stateless revision the gateway does not speak are
 * told which revisions it does, and a session-era request whose {@code _meta} carries only trace context is not
 * mistaken for one. {@link StatelessServingHttpTest} covers the well-formed ones.
 */
class StatelessRequestsHttpTest {
  private static final String META = "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
      + "\"io.modelcontextprotocol/clientCapabilities\":{}}";
  private McpHttpServer server;

  @BeforeEach
  void start() throws Exception {
    server = new McpHttpServer(new InMemoryCatalog().tool("g1", "alpha", "echo"),
        RoutingUpstreamPool.wrap(new ScriptedUpstreams()), PluginChain.empty(), McpSettings.DEFAULTS);
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  private HttpResponse<String> post(String params, Map<String, String> headers) throws Exception {
    return server.send(server.post("/mcp", "{\"jsonrpc\":\"2.0\",\"id\":101,\"method\":\"tools/list\",\"params\":"
        + params + "}", headers));
  }

  private static JsonNode error(HttpResponse<String> r) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    JsonNode body = json(r.body());
    assertThat(body.path("id").asInt()).as("the request's id is echoed").isEqualTo(101);
    return body.path("error");
  }

  @Test
  void aStatelessRequestWithoutTheVersionHeaderIsRefusedWithMinus32020() throws Exception {
    JsonNode e = error(post("{" + META + "}", Map.of()));

    assertThat(e.path("code").asInt()).isEqualTo(-32020);
    assertThat(e.path("message").asText()).isEqualTo("Missing MCP-Protocol-Version header");
  }

  @Test
  void aStatelessRequestWithoutTheRevisionOrCapabilitiesInMetaIsInvalidParams() throws Exception {
    Map<String, String> header = Map.of("MCP-Protocol-Version", "2026-07-28");

    assertThat(error(post("{}", header)).path("code").asInt()).isEqualTo(-32602);
    assertThat(error(post("{\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\"}}", header))
        .path("code").asInt()).isEqualTo(-32602);
    assertThat(error(post("{\"_meta\":{\"io.modelcontextprotocol/clientCapabilities\":{}}}", header))
        .path("code").asInt()).isEqualTo(-32602);
  }

  @Test
  void aHeaderThatDisagreesWithMetaIsRefusedWithMinus32020() throws Exception {
    JsonNode e = error(post("{" + META + "}", Map.of("MCP-Protocol-Version", "2025-11-25")));

    assertThat(e.path("code").asInt()).isEqualTo(-32020);
    assertThat(e.path("message").asText()).startsWith("Mismatched MCP-Protocol-Version header");
  }

  @Test
  void aStatelessRequestOfARevisionTheGatewayDoesNotSpeakIsToldTheRevisionsItDoes() throws Exception {
    String meta = META.replace("2026-07-28", "2099-01-01");

    JsonNode e = error(post("{" + meta + "}", Map.of("MCP-Protocol-Version", "2099-01-01")));

    assertThat(e.path("code").asInt()).isEqualTo(-32022);
    assertThat(e.at("/data/requested").asText()).isEqualTo("2099-01-01");
    assertThat(e.at("/data/supported")).extracting(JsonNode::asText).contains("2026-07-28", "2025-11-25");
  }

  @Test
  void anInitializeWithTraceContextInMetaStillStartsASession() throws Exception {
    HttpResponse<String> r = server.send(server.post("/mcp", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\","
        + "\"params\":{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\","
        + "\"version\":\"1\"},\"_meta\":{\"traceparent\":\"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01\"}}}",
        Map.of()));

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("Mcp-Session-Id")).isPresent();
  }

  @Test
  void anUnsupportedVersionInsideASessionIsStillTheSessionsError() throws Exception {
    String session = server.initialize("/mcp");

    HttpResponse<String> r = post("{}", Map.of("Mcp-Session-Id", session, "MCP-Protocol-Version", "2026-07-28"));

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(json(r.body()).at("/error/data/field").asText()).isEqualTo("MCP-Protocol-Version");
  }
}
