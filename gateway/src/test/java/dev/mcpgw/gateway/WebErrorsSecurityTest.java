package dev.mcpgw.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgw.gateway.config.GatewaySettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, "some errors come back as Jetty HTML pages with a Server header although the docs promise JSON": every
 * error Jetty answers itself, before or after a request reaches the gateway's code, is now {@code {"error": ...}}
 * JSON, and no response names the server.
 */
class WebErrorsSecurityTest {
  @TempDir Path tmp;
  private TestGateway gw;
  private int port;

  @BeforeEach
  void start() throws Exception {
    gw = TestGateway.startProduction(TestGateway.settings(tmp,
        new GatewaySettings.Database("jdbc:sqlite:" + tmp.resolve("reg.db"), null, null, 4), Map.of()));
    port = URI.create(gw.base).getPort();
  }

  @AfterEach
  void stop() {
    gw.close();
  }

  private RawHttp.Response exchange(String request) throws Exception {
    try (RawHttp c = RawHttp.connect(port, Duration.ofSeconds(10))) {
      return c.send(request).read();
    }
  }

  private static void assertJsonError(RawHttp.Response r, int status) throws Exception {
    assertThat(r.status()).as(r.headers()).isEqualTo(status);
    assertThat(r.header("Content-Type")).startsWith("application/json");
    assertThat(r.header("Server")).isNull();
    assertThat(r.header("X-Powered-By")).isNull();
    JsonNode body = TestGateway.JSON.readTree(r.body());
    assertThat(body.get("error").isTextual()).as(r.body()).isTrue();
    assertThat(r.body()).doesNotContain("<html").doesNotContain("Exception").doesNotContain("jetty");
  }

  @Test
  void aBadUriIsAJson400() throws Exception {
    assertJsonError(exchange("GET /%ZZ HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/html\r\n\r\n"), 400);
  }

  @Test
  void anAmbiguousPathIsAJson400() throws Exception {
    assertJsonError(exchange("GET /gateways/..%2F..%2Fetc HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/html\r\n\r\n"),
        400);
  }

  @Test
  void headersTooLargeAreAJson431() throws Exception {
    assertJsonError(exchange("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "a".repeat(20_000)
        + "\r\n\r\n"), 431);
  }

  @Test
  void aUriTooLongIsAJson414() throws Exception {
    assertJsonError(exchange("GET /" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"), 414);
  }

  @Test
  void anUnknownHttpVersionIsAJsonError() throws Exception {
    RawHttp.Response r = exchange("GET /health HTTP/9.9\r\nHost: 127.0.0.1\r\n\r\n");

    assertThat(r.status()).isIn(400, 505);
    assertJsonError(r, r.status());
  }

  @Test
  void aMethodTheProbesDoNotTakeIsAJson405() throws Exception {
    assertJsonError(exchange("PUT /health HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nAccept: text/html\r\n\r\n"),
        405);
  }

  @Test
  void aMalformedRequestLineIsAJson400() throws Exception {
    assertJsonError(exchange("THIS IS NOT HTTP\r\n\r\n"), 400);
  }

  @Test
  void successfulAnswersNameNoServerEither() throws Exception {
    RawHttp.Response r = exchange("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Server")).isNull();
    assertThat(r.header("X-Powered-By")).isNull();
  }
}
