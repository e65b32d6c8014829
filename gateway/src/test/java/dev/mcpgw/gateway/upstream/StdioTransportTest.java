package dev.mcpgw.gateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgw.gateway.store.UpstreamSpec;
import dev.mcpgw.gateway.testing.EverythingServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The stdio client spawning server-everything's {@code stdio} mode. */
class StdioTransportTest extends UpstreamTransportBehaviour {

  @Override
  UpstreamSpec upstream(Map<String, String> headers) {
    return EverythingServer.stdioSpec(NAME, Map.of());
  }

  @Override
  void killUpstream() {
    ProcessHandle.current().children().forEach(ProcessHandle::destroyForcibly);
  }

  private static UpstreamSpec command(String command, List<String> args) {
    return new UpstreamSpec("proc", UpstreamSpec.Transport.STDIO, null, command, args, Map.of(), Map.of());
  }

  @Test
  void passesTheConfiguredEnvironmentAndLogsWhatTheProcessWritesToStderr() throws Exception {
    Logger stderr = (Logger) LoggerFactory.getLogger("dev.mcpgw.gateway.upstream.stderr");
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    stderr.addAppender(lines);
    try {
      pool = UpstreamConnections.create(settings());
      UpstreamClient client = pool.connect("g1", EverythingServer.stdioSpec(NAME, Map.of("MCPGW_TEST_FLAG", "on")),
          UpstreamListener.NONE).get(30, TimeUnit.SECONDS);

      JsonNode env = params(call(client, "tools/call", "{\"name\":\"get-env\",\"arguments\":{}}")
          .at("/content/0/text").asText());

      assertThat(env.path("MCPGW_TEST_FLAG").asText()).isEqualTo("on");
      await().atMost(Duration.ofSeconds(10)).until(() -> lines.list.stream()
          .anyMatch(e -> e.getFormattedMessage().startsWith("upstream 'everything' stderr: ")));
    } finally {
      stderr.detachAppender(lines);
    }
  }

  @Test
  void aCommandThatCannotStartFailsNamingTheUpstreamAndTheProgram() {
    pool = UpstreamConnections.create(settings());

    UpstreamException e = failure(pool.connect("g1", command("/nonexistent/mcp-server", List.of()),
        UpstreamListener.NONE));

    assertThat(e.kind()).isEqualTo(UpstreamException.Kind.UNAVAILABLE);
    assertThat(e.getMessage()).startsWith("upstream 'proc' could not start '/nonexistent/mcp-server': ");
  }

  @Test
  void aProcessThatNeverAnswersTimesOutAtConnectAndIsStopped() {
    pool = UpstreamConnections.create(new UpstreamSettings(Duration.ofSeconds(1), Duration.ofSeconds(5), 0,
        Duration.ofMillis(10), 5, Duration.ofSeconds(30)));

    UpstreamException e = failure(pool.connect("g1", command("sleep", List.of("300")), UpstreamListener.NONE));

    assertThat(e.kind()).isEqualTo(UpstreamException.Kind.TIMEOUT);
    assertThat(e.getMessage()).isEqualTo("upstream 'proc' did not answer initialize within 1s");
    await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.current().children()
        .noneMatch(p -> p.info().command().orElse("").endsWith("sleep")));
  }

  @Test
  void aProcessThatExitsFailsItsPendingCallsWithItsExitCode() {
    pool = UpstreamConnections.create(settings());

    UpstreamException e = failure(pool.connect("g1", command("sh", List.of("-c", "read line; exit 3")),
        UpstreamListener.NONE));

    assertThat(e.kind()).isEqualTo(UpstreamException.Kind.UNAVAILABLE);
    assertThat(e.getMessage()).isEqualTo("upstream 'proc' exited with code 3");
  }
}
