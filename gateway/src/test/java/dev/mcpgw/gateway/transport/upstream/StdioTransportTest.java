package dev.mcpgw.gateway.transport.upstream;

import dev.mcpgw.gateway.testing.EverythingServer;
import java.util.Map;

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
}
