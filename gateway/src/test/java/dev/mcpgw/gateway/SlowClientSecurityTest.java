package dev.mcpgw.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgw.gateway.config.GatewaySettings;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, "a connection that sends one header line every 5 s is never dropped", and the per-client bounds that go
 * with it: a total deadline for request headers ({@code MCPGW_HEADER_TIMEOUT}), one for bodies
 * ({@code MCPGW_BODY_TIMEOUT}), and a limit of connections per client address
 * ({@code MCPGW_MAX_CONNECTIONS_PER_CLIENT}), here set low so that the loops stay short.
 */
class SlowClientSecurityTest {
  private static final Duration DRIP = Duration.ofMillis(500);

  @TempDir Path tmp;
  private TestGateway gw;
  private int port;
  private final List<RawHttp> opened = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    gw = TestGateway.startProduction(TestGateway.settings(tmp,
        new GatewaySettings.Database("jdbc:sqlite:" + tmp.resolve("reg.db"), null, null, 4),
        Map.of("MCPGW_HEADER_TIMEOUT", "2s", "MCPGW_BODY_TIMEOUT", "2s", "MCPGW_MAX_CONNECTIONS_PER_CLIENT", "4")));
    port = URI.create(gw.base).getPort();
  }

  @AfterEach
  void stop() throws IOException {
    for (RawHttp c : opened) {
      c.close();
    }
    gw.close();
  }

  private RawHttp open() throws IOException {
    RawHttp c = RawHttp.connect(port, Duration.ofSeconds(10));
    opened.add(c);
    return c;
  }

  /** Sends {@code lines} one per {@link #DRIP}; how many went out before the server closed the connection. */
  private static int drip(RawHttp c, int lines, String line) throws InterruptedException {
    for (int i = 0; i < lines; i++) {
      try {
        c.send(line);
      } catch (IOException e) {
        return i;
      }
      Thread.sleep(DRIP.toMillis()); // the attack itself: one line, then a pause
    }
    return lines;
  }

  @Test
  void aClientDrippingHeaderLinesIsDroppedAfterTheHeaderDeadline() throws Exception {
    RawHttp slow = open();
    slow.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n");

    // 40 lines at 500 ms would take 20 s; the deadline is 2 s
    int sent = drip(slow, 40, "X-Slow: 1\r\n");

    assertThat(sent).isLessThan(40);
    assertThat(slow.closedByServer()).isTrue();
  }

  @Test
  void aConnectionIdleBetweenRequestsIsNotTakenForASlowOne() throws Exception {
    RawHttp c = open();
    RawHttp.Response first = c.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").read();
    // idle past the header deadline (2 s): the connection stays open, and its next request is served
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6))
        .until(() -> !c.closedWithin(Duration.ofMillis(200)));
    RawHttp.Response second = c.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").read();

    assertThat(first.status()).isEqualTo(200);
    assertThat(second.status()).isEqualTo(200);
  }

  @Test
  void aBodyDrippedSlowerThanTheBodyDeadlineGets408() throws Exception {
    RawHttp slow = open();
    slow.send("POST /gateways HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + gw.adminToken()
        + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{");

    int sent = drip(slow, 40, " ");
    RawHttp.Response r = slow.read();

    assertThat(sent).isLessThan(40);
    assertThat(r.status()).isEqualTo(408);
    JsonNode body = TestGateway.JSON.readTree(r.body());
    assertThat(body.get("error").asText()).contains("MCPGW_BODY_TIMEOUT");
  }

  @Test
  void connectionsBeyondTheLimitPerClientAreRefusedClearly() throws Exception {
    for (int i = 0; i < 4; i++) {
      assertThat(open().send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").read().status()).isEqualTo(200);
    }
    RawHttp fifth = open();
    RawHttp.Response refused = fifth.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").read();

    assertThat(refused.status()).isEqualTo(429);
    assertThat(TestGateway.JSON.readTree(refused.body()).get("error").asText())
        .contains("MCPGW_MAX_CONNECTIONS_PER_CLIENT");
    assertThat(fifth.closedByServer()).isTrue();

    opened.get(0).close();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      try (RawHttp again = RawHttp.connect(port, Duration.ofSeconds(5))) {
        assertThat(again.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").read().status())
            .isEqualTo(200);
      }
    });
  }
}
