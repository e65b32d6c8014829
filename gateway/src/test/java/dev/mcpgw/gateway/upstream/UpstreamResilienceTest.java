package dev.mcpgw.gateway.upstream;

import static dev.mcpgw.gateway.upstream.UpstreamTransportBehaviour.failure;
import static dev.mcpgw.gateway.upstream.UpstreamTransportBehaviour.params;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgw.gateway.store.UpstreamSpec;
import dev.mcpgw.gateway.testing.EverythingServer;
import dev.mcpgw.gateway.testing.FaultyHttpProxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retries and the circuit breaker against server-everything behind a proxy that fails chosen POSTs with an HTTP
 * error, as an overloaded upstream would.
 */
class UpstreamResilienceTest {
  @TempDir static Path tmp;
  static EverythingServer server;
  final UpstreamRig rig = new UpstreamRig();
  final List<String> events = new CopyOnWriteArrayList<>();

  final UpstreamEvents recording = new UpstreamEvents() {
    @Override
    public void onRetry(String upstream, int attempt, UpstreamException error) {
      events.add("retry " + attempt + " " + upstream + " " + error.kind());
    }

    @Override
    public void onBreakerTransition(String upstream, String from, String to) {
      events.add(from + "->" + to);
    }
  };

  @BeforeAll
  static void startServer() {
    server = EverythingServer.start(EverythingServer.Mode.STREAMABLE_HTTP, tmp);
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @AfterEach
  void closeAll() {
    rig.close();
  }

  private UpstreamClient connect(int maxRetries, int threshold, Duration openFor, UpstreamEvents events)
      throws Exception {
    rig.proxy = FaultyHttpProxy.start("http://127.0.0.1:" + server.port());
    rig.pool = UpstreamConnections.builder(new UpstreamSettings(Duration.ofSeconds(10), Duration.ofSeconds(10),
        maxRetries, Duration.ofMillis(20), threshold, openFor)).events(events).build();
    UpstreamSpec spec = new UpstreamSpec("flaky", UpstreamSpec.Transport.STREAMABLE_HTTP, rig.proxy.url("/mcp"), null,
        List.of(), Map.of(), Map.of());
    return rig.pool.connect("g1", spec, UpstreamListener.NONE).get(30, TimeUnit.SECONDS);
  }

  private static RequestOptions idempotent() {
    return RequestOptions.idempotent(Duration.ofSeconds(10));
  }

  private static RequestOptions once() {
    return RequestOptions.call(Duration.ofSeconds(10));
  }

  @Test
  void retriesAnIdempotentRequestThatFoundTheUpstreamUnavailable() throws Exception {
    UpstreamClient client = connect(2, 10, Duration.ofSeconds(30), recording);
    int before = rig.proxy.posts();
    rig.proxy.failNextPosts(2, 503);

    JsonNode tools = client.request("tools/list", params("{}"), idempotent()).get(30, TimeUnit.SECONDS);

    assertThat(tools.path("tools").findValuesAsText("name")).contains("echo");
    assertThat(rig.proxy.posts() - before).isEqualTo(3);
    assertThat(events).containsExactly("retry 1 flaky UNAVAILABLE", "retry 2 flaky UNAVAILABLE");
  }

  @Test
  void givesUpAfterTheLastRetryWithTheUpstreamsError() throws Exception {
    UpstreamClient client = connect(1, 10, Duration.ofSeconds(30), recording);
    rig.proxy.failNextPosts(5, 502);

    UpstreamException e = failure(client.request("tools/list", params("{}"), idempotent()));

    assertThat(e.kind()).isEqualTo(UpstreamException.Kind.UNAVAILABLE);
    assertThat(e.getMessage()).isEqualTo("upstream 'flaky' answered tools/list with HTTP 502");
    assertThat(rig.proxy.failed()).isEqualTo(2);
  }

  @Test
  void neverRetriesACallThatIsNotIdempotent() throws Exception {
    UpstreamClient client = connect(3, 10, Duration.ofSeconds(30), recording);
    rig.proxy.failNextPosts(1, 503);

    UpstreamException e = failure(client.request("tools/call",
        params("{\"name\":\"echo\",\"arguments\":{\"message\":\"x\"}}"), once()));
    JsonNode next = client.request("tools/call", params("{\"name\":\"echo\",\"arguments\":{\"message\":\"y\"}}"),
        once()).get(30, TimeUnit.SECONDS);

    assertThat(e.getMessage()).isEqualTo("upstream 'flaky' answered tools/call with HTTP 503");
    assertThat(rig.proxy.failed()).isEqualTo(1);
    assertThat(next.at("/content/0/text").asText()).isEqualTo("Echo: y");
    assertThat(events).isEmpty();
  }

  @Test
  void opensTheCircuitAfterConsecutiveFailuresThenHalfOpensAndClosesAgain() throws Exception {
    UpstreamClient client = connect(0, 3, Duration.ofSeconds(1), recording);
    rig.proxy.failNextPosts(3, 503);
    for (int i = 0; i < 3; i++) {
      assertThat(failure(client.request("tools/list", params("{}"), idempotent())).kind())
          .isEqualTo(UpstreamException.Kind.UNAVAILABLE);
    }
    assertThat(client.health().circuitState()).isEqualTo("OPEN");
    assertThat(client.health().lastError()).isEqualTo("upstream 'flaky' answered tools/list with HTTP 503");
    int posts = rig.proxy.posts();

    UpstreamException open = failure(client.request("tools/list", params("{}"), idempotent()));

    assertThat(open.kind()).isEqualTo(UpstreamException.Kind.CIRCUIT_OPEN);
    assertThat(open.getMessage()).startsWith("upstream 'flaky' is not called: its circuit breaker opened");
    assertThat(rig.proxy.posts()).as("an open circuit does not call the upstream").isEqualTo(posts);

    await().atMost(Duration.ofSeconds(10)).until(() -> client.health().circuitState().equals("HALF_OPEN"));
    client.request("tools/list", params("{}"), idempotent()).get(30, TimeUnit.SECONDS);

    assertThat(client.health().circuitState()).isEqualTo("CLOSED");
    assertThat(events).containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->CLOSED");
  }

  @Test
  void theCircuitOutlivesAReconnectOfTheSameUpstream() throws Exception {
    UpstreamClient first = connect(0, 2, Duration.ofSeconds(30), recording);
    rig.proxy.failNextPosts(2, 503);
    failure(first.request("tools/list", params("{}"), idempotent()));
    failure(first.request("tools/list", params("{}"), idempotent()));
    UpstreamSpec spec = new UpstreamSpec("flaky", UpstreamSpec.Transport.STREAMABLE_HTTP, rig.proxy.url("/mcp"), null,
        List.of(), Map.of(), Map.of());

    UpstreamException e = failure(rig.pool.connect("g1", spec, UpstreamListener.NONE));

    assertThat(e.kind()).isEqualTo(UpstreamException.Kind.CIRCUIT_OPEN);
    assertThat(rig.pool.get("g1")).as("a failed reconnect drops the old session").isEmpty();
  }

  @Test
  void aThrowingEventsListenerNeitherBreaksCallsNorTheBreaker() throws Exception {
    UpstreamEvents throwing = new UpstreamEvents() {
      @Override
      public void onRetry(String upstream, int attempt, UpstreamException error) {
        throw new IllegalStateException("listener bug");
      }

      @Override
      public void onBreakerTransition(String upstream, String from, String to) {
        throw new IllegalStateException("listener bug");
      }
    };
    UpstreamClient client = connect(1, 2, Duration.ofMillis(500), throwing);
    rig.proxy.failNextPosts(1, 503);

    JsonNode tools = client.request("tools/list", params("{}"), idempotent()).get(30, TimeUnit.SECONDS);
    rig.proxy.failNextPosts(4, 503);
    failure(client.request("tools/list", params("{}"), idempotent()));

    assertThat(tools.path("tools").findValuesAsText("name")).contains("echo");
    assertThat(client.health().circuitState()).isEqualTo("OPEN");
    await().atMost(Duration.ofSeconds(10)).until(() -> client.health().circuitState().equals("HALF_OPEN"));
  }
}
