package dev.mcpgw.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgw.gateway.config.GatewaySettings;
import dev.mcpgw.gateway.testing.EverythingServer;
import dev.mcpgw.gateway.testing.FaultyHttpProxy;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, point 2, for HTTP upstreams: what reaches an upstream is the gateway's own protocol headers, the trace
 * context and the headers of the upstream's registration; never the client's {@code Authorization} (a bearer token or
 * the admin's basic credentials), its cookies or other headers, nor the gateway's secrets. Recorded by a proxy in
 * front of a real server-everything.
 */
class UpstreamHeadersSecurityTest {
  private static final String JWT_SECRET = "gateway-jwt-secret-0123456789-abcdefghijklmnop";
  private static final String ADMIN_PASSWORD = "admin-pw";
  /** Every header an upstream may see: HTTP's own, MCP's, the trace context and the registration's. */
  private static final java.util.Set<String> SENT_BY_THE_GATEWAY = java.util.Set.of("host", "user-agent",
      "content-length", "content-type", "connection", "accept", "mcp-session-id", "mcp-protocol-version",
      "last-event-id", "traceparent", "tracestate", "baggage", "x-upstream-key");

  @TempDir Path tmp;

  @Test
  void anUpstreamReceivesItsConfiguredHeadersButNoneOfTheClientsCredentialsCookiesOrTheGatewaysSecrets()
      throws Exception {
    GatewaySettings settings = TestGateway.settings(tmp,
        new GatewaySettings.Database("jdbc:sqlite:" + tmp.resolve("reg.db"), null, null, 4),
        Map.of("MCPGW_JWT_SECRET", JWT_SECRET));
    try (EverythingServer everything = EverythingServer.start(EverythingServer.Mode.STREAMABLE_HTTP, tmp);
        FaultyHttpProxy recorder = FaultyHttpProxy.start("http://127.0.0.1:" + everything.port());
        TestGateway gw = TestGateway.startProduction(settings)) {
      gw.post("/gateways", "{\"name\":\"everything\",\"transport\":\"streamablehttp\",\"url\":\""
          + recorder.url("/mcp") + "\",\"headers\":{\"X-Upstream-Key\":\"configured-for-this-upstream\"}}");
      String userToken = gw.userToken();
      String basic = "Basic " + Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD)
          .getBytes(StandardCharsets.UTF_8));

      for (String authorization : List.of("Bearer " + userToken, basic)) {
        String session = initialize(gw, authorization);
        JsonNode echo = post(gw, authorization, session, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\","
            + "\"params\":{\"name\":\"everything-echo\",\"arguments\":{\"message\":\"hi\"}}}");
        assertThat(echo.at("/result/content/0/text").asText()).as(echo.toString()).isEqualTo("Echo: hi");
      }

      List<Map<String, List<String>>> received = recorder.requestHeaders();
      assertThat(received).isNotEmpty().allSatisfy(headers -> {
        assertThat(headers.keySet()).map(name -> name.toLowerCase(Locale.ROOT))
            .doesNotContain("authorization", "cookie", "x-client-secret", "proxy-authorization")
            .isSubsetOf(SENT_BY_THE_GATEWAY);
        String values = headers.values().toString();
        assertThat(values).doesNotContain(userToken).doesNotContain(JWT_SECRET).doesNotContain(ADMIN_PASSWORD)
            .doesNotContain(basic).doesNotContain("client-cookie-value").doesNotContain("client-own-secret");
      });
      assertThat(received).anySatisfy(headers -> assertThat(headers.entrySet())
          .anySatisfy(h -> {
            assertThat(h.getKey()).isEqualToIgnoringCase("X-Upstream-Key");
            assertThat(h.getValue()).containsExactly("configured-for-this-upstream");
          }));
    }
  }

  private static String initialize(TestGateway gw, String authorization) throws Exception {
    HttpResponse<String> init = gw.send(request(gw, authorization, null, "{\"jsonrpc\":\"2.0\",\"id\":0,"
        + "\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{\"roots\":{}},"
        + "\"clientInfo\":{\"name\":\"c\",\"version\":\"1\"}}}"));
    assertThat(init.statusCode()).as(init.body()).isEqualTo(200);
    String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
    gw.send(request(gw, authorization, session, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}"));
    return session;
  }

  private static JsonNode post(TestGateway gw, String authorization, String session, String body) throws Exception {
    return TestGateway.rpcAnswer(gw.send(request(gw, authorization, session, body)));
  }

  /** A request as a browser-ish client sends it: with its credentials, a cookie and a header of its own. */
  private static HttpRequest request(TestGateway gw, String authorization, String session, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.base + "/mcp")).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
        .header("Authorization", authorization).header("Cookie", "sid=client-cookie-value")
        .header("X-Client-Secret", "client-own-secret").POST(HttpRequest.BodyPublishers.ofString(body));
    if (session != null) {
      b.header("Mcp-Session-Id", session);
    }
    return b.build();
  }
}
