package dev.mcpgw.gateway.cli;

import dev.mcpgw.gateway.GatewayApplication;
import dev.mcpgw.gateway.transport.upstream.UpstreamClient;
import dev.mcpgw.gateway.transport.upstream.UpstreamException;
import dev.mcpgw.gateway.transport.upstream.UpstreamListener;
import dev.mcpgw.gateway.transport.upstream.UpstreamPool;
import dev.mcpgw.gateway.transport.upstream.UpstreamSpec;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** The production parts of the gateway: the real upstream pool, MCP endpoints and plugin chain. */
final class DefaultParts {
  private DefaultParts() {}

  static GatewayApplication.Parts create() {
    // TODO(core): replace with UpstreamConnections and McpEndpoints when the MCP path lands in main
    return new GatewayApplication.Parts(settings -> new NoTransports(), (settings, catalog, pool) -> ctx -> {});
  }

  private static final class NoTransports implements UpstreamPool {
    @Override
    public CompletableFuture<UpstreamClient> connect(String gatewayId, UpstreamSpec spec, UpstreamListener listener) {
      return CompletableFuture.failedFuture(new UpstreamException(spec.name(), UpstreamException.Kind.UNAVAILABLE,
          "upstream transports are not built into this version"));
    }

    @Override
    public Optional<UpstreamClient> get(String gatewayId) {
      return Optional.empty();
    }

    @Override
    public void disconnect(String gatewayId) {}

    @Override
    public void close() {}
  }
}
