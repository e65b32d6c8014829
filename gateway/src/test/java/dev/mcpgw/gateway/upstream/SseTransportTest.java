package dev.mcpgw.gateway.upstream;

import dev.mcpgw.gateway.store.UpstreamSpec;
import dev.mcpgw.gateway.testing.EverythingServer;
import java.util.Map;

/** The legacy SSE client against server-everything's {@code sse} mode. */
class SseTransportTest extends UpstreamTransportBehaviour {
  private EverythingServer server;

  @Override
  UpstreamSpec upstream(Map<String, String> headers) {
    server = server(EverythingServer.Mode.SSE);
    return server.spec(NAME, headers);
  }

  @Override
  void killUpstream() {
    server.kill();
  }
}
