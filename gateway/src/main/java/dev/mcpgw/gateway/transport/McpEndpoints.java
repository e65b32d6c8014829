package dev.mcpgw.gateway.transport;

import dev.mcpgw.gateway.catalog.Catalog;
import dev.mcpgw.gateway.plugin.PluginChain;
import dev.mcpgw.gateway.transport.rpc.McpDispatcher;
import dev.mcpgw.gateway.transport.rpc.ProgressRouter;
import dev.mcpgw.gateway.transport.upstream.UpstreamPool;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The downstream MCP endpoints: Streamable HTTP at {@code /mcp} and {@code /servers/{id}/mcp}, legacy SSE at
 * {@code /sse} + {@code /message} and {@code /servers/{id}/sse} + {@code /servers/{id}/message}, all answered by one
 * {@link McpDispatcher}. Progress reaches clients when the pool given is a {@link RoutingUpstreamPool}.
 */
public final class McpEndpoints {
  private static final Logger LOG = LoggerFactory.getLogger(McpEndpoints.class);

  private final Catalog catalog;
  private final McpDispatcher dispatcher;
  private final McpSettings settings;
  private final ProgressRouter progress;
  private volatile McpSessions sessions;

  private McpEndpoints(Catalog catalog, McpDispatcher dispatcher, McpSettings settings, ProgressRouter progress) {
    this.catalog = catalog;
    this.dispatcher = dispatcher;
    this.settings = settings;
    this.progress = progress;
  }

  public static McpEndpoints create(Catalog catalog, UpstreamPool pool, PluginChain plugins, McpSettings settings) {
    Objects.requireNonNull(settings, "settings");
    ProgressRouter progress = pool instanceof RoutingUpstreamPool r ? r.progress() : null;
    if (progress == null) {
      LOG.info("upstream progress notifications are not routed to MCP clients: the pool is not a RoutingUpstreamPool");
    }
    return new McpEndpoints(catalog, McpDispatcher.create(catalog, pool, plugins, settings.requestTimeout(), progress,
        settings.keepAliveInterval()),
        settings, progress);
  }

  /** The dispatcher every transport feeds (for tests and for other transports). */
  public McpDispatcher dispatcher() {
    return dispatcher;
  }

  /** How many calls wait for upstream progress right now (0 when idle). */
  public int pendingProgressRoutes() {
    return progress == null ? 0 : progress.activeRoutes();
  }

  /** How many downstream sessions are open (0 before {@link #mount}). */
  public long openSessions() {
    McpSessions s = sessions;
    return s == null ? 0 : s.size();
  }

  /** Adds the MCP servlet to {@code ctx}; its sessions and workers end when the context stops. */
  public void mount(ServletContextHandler ctx) {
    McpSessions sessions = new McpSessions(settings, new ListChanges(catalog)::round, dispatcher::sessionEnded);
    this.sessions = sessions;
    ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    McpServlet servlet = new McpServlet(catalog, new OriginPolicy(settings.allowedOrigins()),
        new StreamableHttp(dispatcher, sessions, settings), new LegacySse(dispatcher, sessions, settings, workers), () -> {
          sessions.close();
          workers.shutdownNow();
        });
    ServletHolder holder = new ServletHolder("mcp", servlet);
    holder.setAsyncSupported(true);
    for (String path : new String[] {"/mcp", "/sse", "/message", "/servers/*"}) {
      ctx.addServlet(holder, path);
    }
  }
}
