package dev.mcpgw.gateway.upstream;

import static dev.mcpgw.gateway.upstream.UpstreamTransportBehaviour.failure;
import static dev.mcpgw.gateway.upstream.UpstreamTransportBehaviour.params;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.mcpgw.gateway.NodePeers;
import dev.mcpgw.gateway.store.UpstreamSpec;
import dev.mcpgw.gateway.testing.EverythingServer;
import dev.mcpgw.gateway.testing.FaultyHttpProxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** What the upstream connections leave behind: no threads, no processes, and no secret in any message or log. */
class UpstreamHygieneTest {
  @TempDir static Path tmp;
  static EverythingServer http;
  static EverythingServer sse;

  @BeforeAll
  static void startServers() {
    http = EverythingServer.start(EverythingServer.Mode.STREAMABLE_HTTP, tmp);
    sse = EverythingServer.start(EverythingServer.Mode.SSE, tmp);
  }

  @AfterAll
  static void stopServers() {
    http.close();
    sse.close();
  }

  private static UpstreamSettings settings(int breakerThreshold) {
    return new UpstreamSettings(Duration.ofSeconds(10), Duration.ofSeconds(10), 1, Duration.ofMillis(20),
        breakerThreshold, Duration.ofSeconds(30));
  }

  /** One pool with a session over every transport, a call on each and a breaker opened, then closed. */
  private static void useEveryTransport() throws Exception {
    try (UpstreamConnections pool = UpstreamConnections.create(settings(1))) {
      List<UpstreamSpec> specs = List.of(http.spec("http", Map.of()), sse.spec("sse", Map.of()),
          EverythingServer.stdioSpec("stdio", Map.of()));
      for (UpstreamSpec spec : specs) {
        UpstreamClient client = pool.connect(spec.name(), spec, UpstreamListener.NONE).get(30, TimeUnit.SECONDS);
        assertThat(client.request("tools/call", params("{\"name\":\"echo\",\"arguments\":{\"message\":\"m\"}}"),
            RequestOptions.call(Duration.ofSeconds(10))).get(30, TimeUnit.SECONDS).at("/content/0/text").asText())
            .isEqualTo("Echo: m");
      }
      UpstreamSpec dead = new UpstreamSpec("dead", UpstreamSpec.Transport.STREAMABLE_HTTP,
          "http://127.0.0.1:" + NodePeers.freePort() + "/mcp", null, List.of(), Map.of(), Map.of());
      failure(pool.connect("dead", dead, UpstreamListener.NONE));
    }
  }

  private static int platformThreads() {
    return Thread.getAllStackTraces().size();
  }

  private static Set<Long> childProcesses() {
    return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).map(ProcessHandle::pid)
        .collect(Collectors.toSet());
  }

  @Test
  void closingThePoolLeavesNoThreadAndNoProcessBehind() throws Exception {
    Set<Long> processesBefore = childProcesses();
    // JVM-wide singletons (the breaker's auto-transition thread, the process reaper) start on first use
    useEveryTransport();
    await().pollInSameThread().atMost(Duration.ofSeconds(20)).until(() -> childProcesses().equals(processesBefore));
    int baseline = platformThreads();

    for (int i = 0; i < 3; i++) {
      useEveryTransport();
    }

    await().pollInSameThread().atMost(Duration.ofSeconds(20))
        .until(() -> platformThreads() <= baseline && childProcesses().equals(processesBefore));
  }

  @Test
  void headerValuesReachTheUpstreamButNeverAMessageOrTheLog() throws Exception {
    Logger root = (Logger) LoggerFactory.getLogger("dev.mcpgw");
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    log.start();
    root.addAppender(log);
    List<String> messages = new ArrayList<>();
    Map<String, String> headers = Map.of("Authorization", "Bearer tok-SECRET-1", "X-Api-Key", "key-SECRET-2",
        "Host", "host-SECRET-3", "Bad Name", "bad-SECRET-4");
    try (FaultyHttpProxy proxy = FaultyHttpProxy.start("http://127.0.0.1:" + http.port());
        UpstreamConnections pool = UpstreamConnections.create(settings(2))) {
      UpstreamSpec spec = new UpstreamSpec("guarded", UpstreamSpec.Transport.STREAMABLE_HTTP, proxy.url("/mcp"), null,
          List.of(), Map.of(), headers);
      UpstreamClient client = pool.connect("g", spec, UpstreamListener.NONE).get(30, TimeUnit.SECONDS);
      client.request("tools/list", params("{}"), new RequestOptions(Duration.ofSeconds(10), false,
          Map.of("X-Per-Request", "req-SECRET-5", "Connection", "conn-SECRET-6"))).get(30, TimeUnit.SECONDS);
      for (int status : new int[] {401, 403, 500, 400}) {
        proxy.failNextPosts(1, status);
        UpstreamException e = failure(client.request("tools/list", params("{}"),
            RequestOptions.call(Duration.ofSeconds(10))));
        messages.add(e.getMessage());
        messages.add(String.valueOf(e.getCause()));
      }
      messages.add(client.health().lastError());
      messages.add(failure(client.request("tools/list", params("{}"), RequestOptions.call(Duration.ofSeconds(10))))
          .getMessage());
      messages.add(spec.toString());

      assertThat(proxy.requestHeaders()).anySatisfy(h -> {
        assertThat(h.get("Authorization")).containsExactly("Bearer tok-SECRET-1");
        assertThat(h.get("X-api-key")).containsExactly("key-SECRET-2");
      });
      assertThat(proxy.requestHeaders()).anySatisfy(h -> assertThat(h.get("X-per-request")).containsExactly("req-SECRET-5"));
      assertThat(proxy.requestHeaders()).noneSatisfy(h -> assertThat(h.toString()).contains("host-SECRET-3"));
    } finally {
      root.detachAppender(log);
    }

    String logged = log.list.stream().map(e -> e.getFormattedMessage() + " "
        + (e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage())).collect(Collectors.joining("\n"));
    assertThat(messages).hasSizeGreaterThan(8).allSatisfy(m -> assertThat(m).doesNotContain("SECRET"));
    assertThat(messages.get(0)).contains("refused tools/list with HTTP 401");
    assertThat(logged).doesNotContain("SECRET").contains("header 'Host'").contains("header 'Bad Name'");
  }
}
