package dev.mcpgw.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgw.gateway.config.GatewaySettings;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Issue 17, "JSON nested deeper than 1,000 levels": 100,000 open brackets answered 500 with a
 * {@code NullPointerException} in the body and a stack trace in the log for each request. Now every parser on the
 * request path has the same limits, and breaking one is a parse error: -32700 on the MCP endpoints, 400 JSON on the
 * admin API, and nothing in the log that looks like a stack trace.
 */
class NestedJsonSecurityTest {
  private static final String DEEP = "[".repeat(100_000);

  @TempDir Path tmp;
  private TestGateway gw;
  private String serverId;
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

  @BeforeEach
  void start() throws Exception {
    gw = TestGateway.startProduction(TestGateway.settings(tmp,
        new GatewaySettings.Database("jdbc:sqlite:" + tmp.resolve("reg.db"), null, null, 4), Map.of()));
    serverId = gw.post("/servers", "{\"name\":\"curated\",\"gateways\":[]}").get("id").asText();
    logs.start();
    root.addAppender(logs);
  }

  @AfterEach
  void stop() {
    root.detachAppender(logs);
    gw.close();
  }

  private HttpResponse<String> postMcp(String path, String body) throws Exception {
    return gw.send(HttpRequest.newBuilder(URI.create(gw.base + path)).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
        .header("Authorization", "Bearer " + gw.userToken()).POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  private void assertParseError(HttpResponse<String> r) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    JsonNode body = TestGateway.JSON.readTree(r.body());
    assertThat(body.at("/error/code").asInt()).isEqualTo(-32700);
    assertThat(body.at("/error/message").asText()).contains("nesting depth");
    assertThat(r.body()).doesNotContain("Exception").doesNotContain("at com.");
  }

  private void assertNoStackTraceLogged() {
    assertThat(logs.list).noneMatch(e -> e.getThrowableProxy() != null);
    assertThat(logs.list).noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.ERROR));
    assertThat(logs.list).allSatisfy(e -> assertThat(e.getFormattedMessage()).doesNotContain("Exception"));
  }

  @Test
  void aHundredThousandLevelsOnMcpAreAParseError() throws Exception {
    assertParseError(postMcp("/mcp", DEEP));
    assertParseError(postMcp("/mcp", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"a\":" + DEEP));
    assertNoStackTraceLogged();
  }

  @Test
  void aHundredThousandLevelsOnAVirtualServersMcpAreAParseError() throws Exception {
    assertParseError(postMcp("/servers/" + serverId + "/mcp", DEEP));
    assertNoStackTraceLogged();
  }

  @Test
  void aHundredThousandLevelsOnTheLegacyMessageEndpointAreAParseError() throws Exception {
    try (RawHttp sse = RawHttp.connect(URI.create(gw.base).getPort(), Duration.ofSeconds(10))) {
      sse.send("GET /sse HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\nAuthorization: Bearer "
          + gw.userToken() + "\r\n\r\n");
      String endpoint = sse.readLineStartingWith("data:").substring("data:".length()).trim();

      assertParseError(postMcp(endpoint, DEEP));
    }
    assertNoStackTraceLogged();
  }

  @Test
  void aHundredThousandLevelsOnTheAdminApiAreA400() throws Exception {
    HttpResponse<String> r = gw.send("POST", "/gateways", gw.adminToken(), DEEP);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(TestGateway.JSON.readTree(r.body()).get("error").asText()).contains("nesting depth");
    assertThat(r.body()).doesNotContain("Exception");
    assertThat(gw.get("/gateways")).isEmpty();
    assertNoStackTraceLogged();
  }

  @Test
  void aNumberTooLongIsAParseErrorToo() throws Exception {
    assertThat(TestGateway.JSON.readTree(postMcp("/mcp", "{\"jsonrpc\":\"2.0\",\"id\":" + "9".repeat(5_000)
        + ",\"method\":\"ping\"}").body()).at("/error/code").asInt()).isEqualTo(-32700);
    assertNoStackTraceLogged();
  }
}
