package dev.mcpgw.gateway;

import dev.mcpgw.gateway.testing.EverythingServer;
import dev.mcpgw.observability.testing.ZipkinServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The peers of the end-to-end trace tests, a real Zipkin and a Streamable HTTP server-everything: started before the
 * class's {@code @BeforeAll} methods and closed after its {@code @AfterAll} ones. Register it with
 * {@code @RegisterExtension static final TracedPeers PEERS = new TracedPeers();}.
 */
final class TracedPeers implements BeforeAllCallback, AfterAllCallback {
  private Path dir;
  private ZipkinServer zipkin;
  private EverythingServer everything;

  ZipkinServer zipkin() {
    return zipkin;
  }

  EverythingServer everything() {
    return everything;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    dir = Files.createTempDirectory("traced-peers");
    zipkin = ZipkinServer.start();
    everything = EverythingServer.start(EverythingServer.Mode.STREAMABLE_HTTP, dir);
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    try {
      if (everything != null) {
        everything.close();
      }
    } finally {
      if (zipkin != null) {
        zipkin.close();
      }
      if (dir != null) {
        try (Stream<Path> files = Files.walk(dir)) {
          for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(p);
          }
        }
      }
    }
  }
}
