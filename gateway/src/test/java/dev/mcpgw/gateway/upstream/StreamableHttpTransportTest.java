package dev.mcpgw.gateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgw.gateway.store.UpstreamSpec;
import dev.mcpgw.gateway.testing.EverythingServer;
import dev.mcpgw.gateway.testing.FaultyHttpProxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The Streamable HTTP client against server-everything's {@code streamableHttp} mode. */
class StreamableHttpTransportTest extends UpstreamTransportBehaviour {
  private EverythingServer server;

  @Override
  UpstreamSpec upstream(Map<String, String> headers) {
    server = server(EverythingServer.Mode.STREAMABLE_HTTP);
    return server.spec(NAME, headers);
  }

  @Override
  void killUpstream() {
    server.kill();
  }

  @Test
  void serverRequestsOnACallsResponseStreamGoToThatCallsListener() throws Exception {
    SamplingClient sessionWide = new SamplingClient(false);
    SamplingClient perCall = new SamplingClient(false);
    UpstreamClient session = openSamplingSession(sessionWide);

    JsonNode result = session.request("tools/call", params(
        "{\"name\":\"trigger-sampling-request\",\"arguments\":{\"prompt\":\"hello\"}}"),
        RequestOptions.call(Duration.ofSeconds(20)).withListener(perCall)).get(30, TimeUnit.SECONDS);

    assertThat(result.at("/content/0/text").asText()).contains("sampled-answer");
    assertThat(perCall.asked).containsExactly("sampling/createMessage");
    assertThat(sessionWide.asked).isEmpty();
  }

  @Test
  void sendsSessionAndVersionHeadersTellsTheUpstreamOfCancellationsAndDeletesTheSessionOnClose() throws Exception {
    server = server(EverythingServer.Mode.STREAMABLE_HTTP);
    try (FaultyHttpProxy proxy = FaultyHttpProxy.start("http://127.0.0.1:" + server.port())) {
      pool = UpstreamConnections.create(settings());
      UpstreamClient client = pool.connect("g1", new UpstreamSpec(NAME, UpstreamSpec.Transport.STREAMABLE_HTTP,
          proxy.url("/mcp"), null, List.of(), Map.of(), Map.of()), UpstreamListener.NONE).get(30, TimeUnit.SECONDS);
      CompletableFuture<JsonNode> slow = client.request("tools/call", params(
          "{\"name\":\"trigger-long-running-operation\",\"arguments\":{\"duration\":30,\"steps\":2}}"),
          RequestOptions.call(Duration.ofSeconds(60)));
      await().atMost(Duration.ofSeconds(10))
          .until(() -> proxy.requests().stream().anyMatch(r -> r.contains("trigger-long-running-operation")));

      slow.cancel(true);
      await().atMost(Duration.ofSeconds(10))
          .until(() -> proxy.requests().stream().anyMatch(r -> r.contains("notifications/cancelled")));
      pool.disconnect("g1");

      String sessionId = proxy.requestHeaders().get(1).get("Mcp-session-id").get(0);
      assertThat(proxy.requests().get(0)).startsWith("POST /mcp ").contains("\"initialize\"");
      assertThat(proxy.requests()).anySatisfy(r -> assertThat(r).startsWith("POST /mcp ")
          .contains("notifications/cancelled").contains("\"requestId\":" + requestId(proxy)));
      assertThat(proxy.requests()).last().asString().startsWith("DELETE /mcp");
      assertThat(proxy.requestHeaders().subList(1, proxy.requestHeaders().size())).allSatisfy(h -> {
        assertThat(h.get("Mcp-session-id")).containsExactly(sessionId);
        assertThat(h.get("Mcp-protocol-version")).containsExactly("2025-11-25");
      });
    }
  }

  private static long requestId(FaultyHttpProxy proxy) {
    return proxy.requests().stream().filter(r -> r.contains("trigger-long-running-operation"))
        .map(r -> params(r.substring(r.indexOf('{'))).path("id").asLong()).findFirst().orElseThrow();
  }

  @Test
  void aSessionTheUpstreamForgotEndsWithAnErrorNamingTheUpstream() throws Exception {
    server = server(EverythingServer.Mode.STREAMABLE_HTTP);
    try (FaultyHttpProxy proxy = FaultyHttpProxy.start("http://127.0.0.1:" + server.port())) {
      pool = UpstreamConnections.create(settings());
      UpstreamClient client = pool.connect("g1", new UpstreamSpec(NAME, UpstreamSpec.Transport.STREAMABLE_HTTP,
          proxy.url("/mcp"), null, List.of(), Map.of(), Map.of()), UpstreamListener.NONE).get(30, TimeUnit.SECONDS);
      proxy.failNextPosts(1, 404); // what the spec says a server answers for a session it no longer knows

      UpstreamException e = failure(client.request("tools/list", params("{}"),
          RequestOptions.call(Duration.ofSeconds(10))));
      UpstreamException next = failure(client.request("tools/list", params("{}"),
          RequestOptions.call(Duration.ofSeconds(10))));

      assertThat(e.getMessage()).isEqualTo("upstream 'everything' ended the session (HTTP 404 for tools/list)");
      assertThat(next.getMessage()).isEqualTo(e.getMessage());
      assertThat(client.health().connected()).isFalse();
    }
  }

  @Test
  void resumesACallsStreamCutMidwayWithTheLastEventIdAndMissesNothing() throws Exception {
    server = server(EverythingServer.Mode.STREAMABLE_HTTP);
    try (FaultyHttpProxy proxy = FaultyHttpProxy.start("http://127.0.0.1:" + server.port())) {
      pool = UpstreamConnections.create(settings());
      UpstreamClient client = pool.connect("g1", new UpstreamSpec(NAME, UpstreamSpec.Transport.STREAMABLE_HTTP,
          proxy.url("/mcp"), null, List.of(), Map.of(), Map.of()), UpstreamListener.NONE).get(30, TimeUnit.SECONDS);
      List<Integer> progress = new java.util.concurrent.CopyOnWriteArrayList<>();
      // cut after the priming event and the first progress. server-everything's event store replays what it stored
      // before the resume but does not re-attach later messages to the resumed stream, so the tool (0.6 s) has
      // finished when the client resumes (after the default second)
      proxy.cutNextPostStreamAfter(2);;

      JsonNode result = client.request("tools/call", params(
          "{\"name\":\"trigger-long-running-operation\",\"arguments\":{\"duration\":0.6,\"steps\":3},"
              + "\"_meta\":{\"progressToken\":\"r\"}}"), RequestOptions.call(Duration.ofSeconds(30))
          .withListener((method, p) -> {
            // server-everything's event store replays every event after the id, of any stream: the log message
            // of its roots sync (the registry's session declares roots) may come on the resumed stream too
            if ("notifications/progress".equals(method)) {
              progress.add(p.path("progress").asInt());
            }
          })).get(40, TimeUnit.SECONDS);

      assertThat(result.at("/content/0/text").asText()).startsWith("Long running operation completed");
      assertThat(progress).containsExactly(1, 2, 3);
      assertThat(proxy.requestHeaders()).anySatisfy(h -> assertThat(h).containsKey("Last-event-id"));
    }
  }
}
