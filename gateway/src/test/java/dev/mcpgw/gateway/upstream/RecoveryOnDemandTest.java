package dev.mcpgw.gateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mcpgw.gateway.NodePeers;
import dev.mcpgw.gateway.jsonrpc.MessageJson;
import dev.mcpgw.gateway.testing.EverythingServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link UpstreamConnections#usable}: one shared reconnect for a down upstream, never while its circuit is open. */
class RecoveryOnDemandTest {
  @TempDir Path tmp;
  private UpstreamConnections pool;
  private EverythingServer first;
  private Process second;

  @AfterEach
  void stop() {
    if (pool != null) {
      pool.close();
    }
    if (first != null) {
      first.close();
    }
    if (second != null) {
      second.descendants().forEach(ProcessHandle::destroyForcibly);
      second.destroyForcibly();
    }
  }

  /** Connects to a server-everything, then kills it and starts another on its port: the session is gone. */
  private UpstreamClient connectThenRestart(UpstreamSettings settings) throws Exception {
    first = EverythingServer.start(EverythingServer.Mode.STREAMABLE_HTTP, tmp);
    pool = UpstreamConnections.create(settings);
    UpstreamClient old = pool.connect("g", first.spec("ev", Map.of()), UpstreamListener.NONE)
        .get(30, TimeUnit.SECONDS);
    first.kill();
    return old;
  }

  private void restart() throws Exception {
    second = NodePeers.startEverything("streamableHttp", first.port(), Files.createTempFile(tmp, "second", ".log"));
  }

  @Test
  void concurrentCallersOfADownUpstreamShareOneReconnect() throws Exception {
    UpstreamClient old = connectThenRestart(UpstreamSettings.DEFAULTS);
    old.close(); // as when the transport noticed the end of the session
    restart();

    ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();
    List<Callable<Optional<UpstreamClient>>> calls = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      calls.add(() -> pool.usable("g"));
    }
    List<UpstreamClient> got = new ArrayList<>();
    for (Future<Optional<UpstreamClient>> f : callers.invokeAll(calls)) {
      got.add(f.get().orElseThrow());
    }
    callers.shutdown();

    Set<UpstreamClient> distinct = got.stream().collect(Collectors.toSet());
    assertThat(distinct).hasSize(1).doesNotContain(old);
    assertThat(distinct.iterator().next().health().connected()).isTrue();
    assertThat(pool.get("g")).containsSame(distinct.iterator().next());
  }

  @Test
  void anOpenCircuitIsRespectedAndTheFirstCallItLetsThroughReconnects() throws Exception {
    UpstreamClient old = connectThenRestart(new UpstreamSettings(Duration.ofSeconds(5), Duration.ofSeconds(5), 0,
        Duration.ofMillis(10), 1, Duration.ofSeconds(8))); // open long enough to outlast a restart on a busy machine
    assertThat(old.request("ping", MessageJson.MAPPER.createObjectNode(), RequestOptions.call(Duration.ofSeconds(5)))
        .handle((r, e) -> e).get(10, TimeUnit.SECONDS)).isInstanceOf(UpstreamException.class);
    old.close();
    restart();
    assertThat(pool.circuitState("g")).isEqualTo("OPEN");

    // no attempt while the circuit is open: the call gets the old session, which fails it at once
    assertThat(pool.usable("g")).containsSame(old);
    assertThat(pool.get("g")).containsSame(old);

    await().atMost(Duration.ofSeconds(20)).until(() -> !"OPEN".equals(pool.circuitState("g")));
    UpstreamClient recovered = pool.usable("g").orElseThrow();
    assertThat(recovered.health().connected()).isTrue();
    assertThat(pool.circuitState("g")).isEqualTo("CLOSED");
  }
}
