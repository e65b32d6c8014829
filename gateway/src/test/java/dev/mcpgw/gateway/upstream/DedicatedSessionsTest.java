package dev.mcpgw.gateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.mcpgw.gateway.config.DedicatedSessionLimits;
import dev.mcpgw.gateway.config.StdioEnvironment;
import dev.mcpgw.gateway.testing.EverythingServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Upstream sessions of single downstream clients: bounded per upstream, per transport and per user. */
class DedicatedSessionsTest {
  @TempDir Path tmp;
  private UpstreamConnections pool;
  private EverythingServer server;

  @AfterEach
  void stop() {
    if (pool != null) {
      pool.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private UpstreamConnections pool(DedicatedSessionLimits limits) {
    return UpstreamConnections.builder(UpstreamSettings.DEFAULTS).dedicatedSessions(limits).build();
  }

  private static UpstreamClient open(UpstreamConnections pool, String owner) throws Exception {
    return pool.openSession("g", null, UpstreamListener.NONE, owner).get(30, TimeUnit.SECONDS);
  }

  private static void refused(CompletableFuture<UpstreamClient> f, String why) {
    assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOfSatisfying(UpstreamException.class, e -> {
          assertThat(e.kind()).isEqualTo(UpstreamException.Kind.UNAVAILABLE);
          assertThat(e.getMessage()).startsWith("upstream 'ev' opened no session for a single client: ").contains(why);
        });
  }

  @Test
  void aUserGetsAtMostTheirShareAndTheUpstreamAtMostItsBoundUntilOneCloses() throws Exception {
    server = EverythingServer.start(EverythingServer.Mode.STREAMABLE_HTTP, tmp);
    pool = pool(new DedicatedSessionLimits(3, 1, 2));
    pool.connect("g", server.spec("ev", Map.of()), UpstreamListener.NONE).get(30, TimeUnit.SECONDS);

    UpstreamClient first = open(pool, "acme/alice");
    open(pool, "acme/alice");
    refused(pool.openSession("g", null, UpstreamListener.NONE, "acme/alice"), "the user already holds 2");
    open(pool, "other/alice");
    refused(pool.openSession("g", null, UpstreamListener.NONE, "acme/bob"), "every one of its 3 sessions");
    assertThat(pool.dedicatedSessions("g")).isEqualTo(3);

    first.close();

    assertThat(open(pool, "acme/bob").health().connected()).isTrue();
    assertThat(pool.dedicatedSessions("g")).isEqualTo(3);
  }

  @Test
  void aStdioUpstreamHasItsOwnLowerBoundAndARefusedSessionStartsNoProcess() throws Exception {
    pool = pool(new DedicatedSessionLimits(100, 1, 3));
    pool.connect("g", EverythingServer.stdioSpec("ev", Map.of()), UpstreamListener.NONE).get(30, TimeUnit.SECONDS);
    UpstreamClient own = open(pool, "acme/alice");
    long processes = ProcessHandle.current().children().count();

    refused(pool.openSession("g", null, UpstreamListener.NONE, "acme/bob"), "every one of its 1 sessions");

    assertThat(ProcessHandle.current().children().count()).isEqualTo(processes);
    own.close();
    await().atMost(Duration.ofSeconds(10)).until(() -> pool.dedicatedSessions("g") == 0);
  }
}
