package dev.mcpgw.gateway.transport.upstream;

import dev.mcpgw.gateway.testing.EverythingServer;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

/** The legacy SSE client against server-everything's {@code sse} mode. */
class SseTransportTest extends UpstreamTransportBehaviour {
  private EverythingServer server;

  @Override
  UpstreamSpec upstream(Map<String, String> headers) {
    server = EverythingServer.start(EverythingServer.Mode.SSE, tmp);
    return server.spec(NAME, headers);
  }

  @Override
  void killUpstream() {
    server.kill();
  }

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }
}
