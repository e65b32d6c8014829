package dev.mcpgw.gateway;

import dev.mcpgw.gateway.testing.EverythingServer;
import dev.mcpgw.observability.testing.ZipkinServer;
import java.nio.file.Path;

/** A real Zipkin and a Streamable HTTP server-everything, the peers of the end-to-end trace tests; closes both. */
record TracedPeers(ZipkinServer zipkin, EverythingServer everything) implements AutoCloseable {

  static TracedPeers start(Path dir) {
    ZipkinServer zipkin = ZipkinServer.start();
    try {
      return new TracedPeers(zipkin, EverythingServer.start(EverythingServer.Mode.STREAMABLE_HTTP, dir));
    } catch (RuntimeException e) {
      zipkin.close();
      throw e;
    }
  }

  @Override
  public void close() {
    try {
      everything.close();
    } finally {
      zipkin.close();
    }
  }
}
