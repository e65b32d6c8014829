package dev.mcpgw.gateway.transport;

import dev.mcpgw.gateway.mcp.RoutingUpstreamPool;
import dev.mcpgw.gateway.testing.EverythingServer;
import dev.mcpgw.gateway.mcp.InMemoryCatalog;
import dev.mcpgw.gateway.upstream.UpstreamConnections;
import dev.mcpgw.gateway.upstream.UpstreamListener;
import dev.mcpgw.gateway.upstream.UpstreamSettings;
import dev.mcpgw.gateway.store.UpstreamSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code @modelcontextprotocol/server-everything} once per upstream transport, connected through the real upstream
 * pool: {@code g-http} named {@code evhttp} (Streamable HTTP), {@code g-sse} named {@code evsse} (legacy SSE) and
 * {@code g-stdio} named {@code evstdio} (stdio), with the chosen tools of each in a catalog double.
 */
final class EverythingUpstreams implements AutoCloseable {
  /** What else each connected upstream puts into the catalog, given its gateway id and name. */
  interface Extra {
    void add(InMemoryCatalog catalog, String gatewayId, String name);
  }

  final InMemoryCatalog catalog = new InMemoryCatalog();
  final RoutingUpstreamPool pool;
  private final UpstreamConnections connections;
  private final List<EverythingServer> servers = new ArrayList<>();

  private EverythingUpstreams() {
    connections = UpstreamConnections.create(UpstreamSettings.DEFAULTS);
    pool = RoutingUpstreamPool.wrap(connections);
  }

  static EverythingUpstreams start(Path tmp, List<String> tools, Extra extra) throws Exception {
    EverythingUpstreams upstreams = new EverythingUpstreams();
    try {
      EverythingServer http = upstreams.serve(EverythingServer.start(EverythingServer.Mode.STREAMABLE_HTTP, tmp));
      EverythingServer sse = upstreams.serve(EverythingServer.start(EverythingServer.Mode.SSE, tmp));
      upstreams.connect("g-http", http.spec("evhttp", Map.of()), tools, extra);
      upstreams.connect("g-sse", sse.spec("evsse", Map.of()), tools, extra);
      upstreams.connect("g-stdio", EverythingServer.stdioSpec("evstdio", Map.of()), tools, extra);
      return upstreams;
    } catch (Exception | Error e) {
      upstreams.close();
      throw e;
    }
  }

  private EverythingServer serve(EverythingServer server) {
    servers.add(server);
    return server;
  }

  private void connect(String id, UpstreamSpec spec, List<String> tools, Extra extra) throws Exception {
    pool.connect(id, spec, UpstreamListener.NONE).get(60, TimeUnit.SECONDS);
    tools.forEach(tool -> catalog.tool(id, spec.name(), tool));
    extra.add(catalog, id, spec.name());
  }

  @Override
  public void close() {
    connections.close();
    servers.forEach(EverythingServer::close);
  }
}
