package dev.mcpgw.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.auth.Caller;
import dev.mcpgw.gateway.config.GatewaySettings;
import dev.mcpgw.gateway.config.DedicatedSessionLimits;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, "one process per session": every client that declares roots, sampling or elicitation got an upstream
 * session of its own, which over stdio is a new process, bounded only by the 10,000 sessions of the gateway. Now
 * such sessions are bounded per upstream and per user; the clients beyond the bound use the shared session.
 */
class UpstreamProcessesSecurityTest {
  private static final int SESSIONS = 50;
  private static final int USERS = 10;

  @TempDir Path tmp;

  @Test
  void fiftySessionsDeclaringEveryCapabilityStayWithinTheProcessBoundAndEndTheirProcessesWhenClosed()
      throws Exception {
    GatewaySettings settings = TestGateway.settings(tmp,
        new GatewaySettings.Database("jdbc:sqlite:" + tmp.resolve("reg.db"), null, null, 4), Map.of());
    int bound = 1 + DedicatedSessionLimits.DEFAULT_PER_STDIO_UPSTREAM; // the shared session and the dedicated ones
    try (TestGateway gw = TestGateway.startProduction(settings)) {
      List<String> command = NodePeers.everythingStdio();
      ObjectNode registration = TestGateway.JSON.createObjectNode().put("name", "everything")
          .put("transport", "stdio").put("command", command.get(0)).put("tenant", "ops");
      command.subList(1, command.size()).forEach(registration.putArray("args")::add);
      gw.post("/gateways", registration.toString(), gw.platformAdminToken()); // stdio: the operator's decision
      assertThat(everythingProcesses()).isEqualTo(1);

      List<Session> sessions = new ArrayList<>();
      int most = 0;
      for (int i = 0; i < SESSIONS; i++) {
        String token = gw.app.tokens().issue(new Caller("user" + (i % USERS), "ops", Caller.Role.USER),
            Duration.ofMinutes(10));
        Session s = Session.open(gw, token);
        sessions.add(s);

        JsonNode tools = s.call("tools/list", "{}");
        JsonNode echo = s.call("tools/call",
            "{\"name\":\"everything-echo\",\"arguments\":{\"message\":\"n" + i + "\"}}");

        assertThat(tools.at("/result/tools").findValuesAsText("name")).as("session %d", i).contains("everything-echo");
        assertThat(echo.at("/result/content/0/text").asText()).as("session %d", i).isEqualTo("Echo: n" + i);
        most = Math.max(most, everythingProcesses());
      }

      assertThat(most).as("stdio processes at most, for %d sessions", SESSIONS).isLessThanOrEqualTo(bound);
      assertThat(most).as("clients that need their own session still get one while slots are free")
          .isGreaterThan(1);
      for (Session s : sessions) {
        s.close();
      }
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(everythingProcesses()).isEqualTo(1));
    }
  }

  /** The server-everything processes below this JVM (the in-process gateway's stdio upstreams). */
  private static int everythingProcesses() {
    return (int) ProcessHandle.current().descendants()
        .filter(p -> p.isAlive() && p.info().commandLine().orElse("").contains("server-everything"))
        .count();
  }

  /** One downstream MCP session over raw JSON-RPC that declares roots, sampling and elicitation. */
  private record Session(TestGateway gw, String token, String id, int[] next) {
    static Session open(TestGateway gw, String token) throws Exception {
      HttpResponse<String> init = post(gw, token, null, "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\","
          + "\"params\":{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{\"roots\":{\"listChanged\":true},"
          + "\"sampling\":{},\"elicitation\":{}},\"clientInfo\":{\"name\":\"many\",\"version\":\"1\"}}}");
      assertThat(init.statusCode()).as(init.body()).isEqualTo(200);
      String id = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
      post(gw, token, id, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
      return new Session(gw, token, id, new int[] {0});
    }

    JsonNode call(String method, String params) throws Exception {
      int n = ++next[0];
      HttpResponse<String> r = post(gw, token, id, "{\"jsonrpc\":\"2.0\",\"id\":" + n + ",\"method\":\"" + method
          + "\",\"params\":" + params + "}");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      return answer(r, n);
    }

    void close() throws Exception {
      HttpResponse<String> r = gw.send(HttpRequest.newBuilder(URI.create(gw.base + "/mcp"))
          .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token).header("Mcp-Session-Id", id)
          .DELETE().build());
      assertThat(r.statusCode()).as(r.body()).isIn(200, 202, 204);
    }

    /** The JSON-RPC answer with {@code id}: the body itself, or the matching event of an SSE answer. */
    private static JsonNode answer(HttpResponse<String> r, int id) throws Exception {
      if (!r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream")) {
        return TestGateway.JSON.readTree(r.body());
      }
      for (String line : r.body().split("\n")) {
        if (line.startsWith("data:")) {
          JsonNode m = TestGateway.JSON.readTree(line.substring(5).trim());
          if (m.path("id").asInt(-1) == id && !m.has("method")) {
            return m;
          }
        }
      }
      throw new AssertionError("no answer to request " + id + " in " + r.body());
    }

    private static HttpResponse<String> post(TestGateway gw, String token, String session, String body)
        throws Exception {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.base + "/mcp")).timeout(Duration.ofSeconds(60))
          .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
          .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(body));
      if (session != null) {
        b.header("Mcp-Session-Id", session);
      }
      return gw.send(b.build());
    }
  }
}
