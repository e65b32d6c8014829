package dev.mcpgw.gateway.upstream;

import static dev.mcpgw.gateway.upstream.UpstreamTransportBehaviour.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mcpgw.gateway.NodePeers;
import dev.mcpgw.gateway.store.UpstreamSpec;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Upstreams that cannot be reached, or accept a connection and never answer, fail naming the upstream in time. */
class UpstreamConnectFailuresTest {
  private final UpstreamConnections pool = UpstreamConnections.create(new UpstreamSettings(Duration.ofSeconds(1),
      Duration.ofSeconds(5), 0, Duration.ofMillis(10), 5, Duration.ofSeconds(30)));

  @AfterEach
  void closePool() {
    pool.close();
  }

  private static UpstreamSpec spec(UpstreamSpec.Transport transport, String url) {
    return new UpstreamSpec("far", transport, url, null, List.of(), Map.of(), Map.of());
  }

  @Test
  void aPortNobodyListensOnIsUnavailable() throws Exception {
    String url = "http://127.0.0.1:" + NodePeers.freePort() + "/mcp";

    UpstreamException http = failure(pool.connect("a", spec(UpstreamSpec.Transport.STREAMABLE_HTTP, url),
        UpstreamListener.NONE));
    UpstreamException sse = failure(pool.connect("b", spec(UpstreamSpec.Transport.SSE, url), UpstreamListener.NONE));

    assertThat(http.kind()).isEqualTo(UpstreamException.Kind.UNAVAILABLE);
    assertThat(http.getMessage()).startsWith("upstream 'far' is unreachable for initialize: ");
    assertThat(sse.kind()).isEqualTo(UpstreamException.Kind.UNAVAILABLE);
    assertThat(sse.getMessage()).startsWith("upstream 'far' is unreachable for the SSE stream's GET: ");
  }

  @Test
  void aServerThatAcceptsButNeverAnswersTimesOutAtTheConnectTimeout() throws Exception {
    // the kernel completes connections into the backlog; nobody ever reads or answers them
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      String url = "http://127.0.0.1:" + silent.getLocalPort() + "/mcp";

      UpstreamException http = failure(pool.connect("a", spec(UpstreamSpec.Transport.STREAMABLE_HTTP, url),
          UpstreamListener.NONE));
      UpstreamException sse = failure(pool.connect("b", spec(UpstreamSpec.Transport.SSE, url),
          UpstreamListener.NONE));

      assertThat(http.kind()).isEqualTo(UpstreamException.Kind.TIMEOUT);
      assertThat(http.getMessage()).isEqualTo("upstream 'far' did not answer initialize within 1s");
      assertThat(sse.kind()).isEqualTo(UpstreamException.Kind.TIMEOUT);
      assertThat(sse.getMessage()).isEqualTo("upstream 'far' did not answer the SSE stream's GET within 1s");
    }
  }

  @Test
  void aSpecWithoutAUsableUrlOrCommandIsRefusedNamingTheUpstream() {
    UpstreamException noUrl = failure(pool.connect("a", spec(UpstreamSpec.Transport.STREAMABLE_HTTP, "ftp://x/"),
        UpstreamListener.NONE));
    UpstreamException noCommand = failure(pool.connect("b", spec(UpstreamSpec.Transport.STDIO, null),
        UpstreamListener.NONE));

    assertThat(noUrl.getMessage()).isEqualTo("upstream 'far' has no usable http(s) url");
    assertThat(noCommand.getMessage()).isEqualTo("upstream 'far' has no command to run");
  }

  @Test
  void aSessionForAnUpstreamNeverConnectedIsUnavailable() {
    UpstreamException e = failure(pool.openSession("nope", null, UpstreamListener.NONE));

    assertThat(e.kind()).isEqualTo(UpstreamException.Kind.UNAVAILABLE);
    assertThat(e.getMessage()).isEqualTo("no upstream with id 'nope' is connected");
  }

  @Test
  void settingsNameTheFieldThatIsWrong() {
    Duration s = Duration.ofSeconds(1);
    assertThatThrownBy(() -> new UpstreamSettings(Duration.ZERO, s, 0, s, 1, s)).hasMessageStartingWith("connectTimeout");
    assertThatThrownBy(() -> new UpstreamSettings(s, null, 0, s, 1, s)).hasMessage("requestTimeout");
    assertThatThrownBy(() -> new UpstreamSettings(s, s, -1, s, 1, s)).hasMessageStartingWith("maxRetries");
    assertThatThrownBy(() -> new UpstreamSettings(s, s, 0, s.negated(), 1, s)).hasMessageStartingWith("retryBackoff");
    assertThatThrownBy(() -> new UpstreamSettings(s, s, 0, s, 0, s)).hasMessageStartingWith("breakerFailureThreshold");
    assertThatThrownBy(() -> new UpstreamSettings(s, s, 0, s, 1, Duration.ZERO))
        .hasMessageStartingWith("breakerOpenDuration");
    assertThat(UpstreamSettings.DEFAULTS.breakerFailureThreshold()).isEqualTo(5);
  }
}
