package dev.mcpgw.gateway.transport;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgw.gateway.catalog.Catalog;
import dev.mcpgw.gateway.mcp.InMemoryCatalog;
import dev.mcpgw.gateway.mcp.RoutingUpstreamPool;
import dev.mcpgw.gateway.mcp.ScriptedUpstreams;
import dev.mcpgw.gateway.plugin.PluginChain;
import dev.mcpgw.gateway.jsonrpc.JsonRpc;
import dev.mcpgw.gateway.store.UpstreamSpec;
import dev.mcpgw.gateway.upstream.UpstreamListener;
import dev.mcpgw.gateway.upstream.UpstreamPool;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.Executors;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The MCP endpoints alone on Jetty (loopback, free port), with a raw HTTP client for bad-input tests. In the gateway
 * the endpoints sit behind its filters; of those, only the one that reads what an early answer left of a body (its
 * body limit filter) is mirrored here. Without it, an answer sent before the body was read (a 403 for a foreign
 * {@code Origin}, a 404 for an unknown server) makes Jetty close the connection; when the body lands in the socket
 * just before that close, the kernel resets the connection and drops the answer still queued, and a test sees
 * "header parser received no bytes" instead of its status (CI saw it once, in McpEndpointsHttpTest).
 */
final class McpHttpServer implements AutoCloseable {
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static final String INIT = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
      + "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}";

  final McpEndpoints endpoints;
  private final Server server;
  private final ServerConnector connector;

  McpHttpServer(Catalog catalog, UpstreamPool pool, PluginChain plugins, McpSettings settings) throws Exception {
    endpoints = McpEndpoints.create(catalog, pool, plugins, settings);
    QueuedThreadPool threads = new QueuedThreadPool();
    threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server = new Server(threads);
    connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler ctx = new ServletContextHandler("/");
    ctx.addFilter(new FilterHolder(new ReadsTheRest()), "/*", EnumSet.of(DispatcherType.REQUEST));
    endpoints.mount(ctx);
    server.setHandler(ctx);
    server.start();
  }

  /**
   * The endpoints with one tool, {@code echo} of upstream {@code alpha} (gateway id {@code g1}), which {@code scripted}
   * answers with {@code handler}; g1 is connected before the server starts. Default settings.
   */
  static McpHttpServer alphaEcho(ScriptedUpstreams scripted, ScriptedUpstreams.Handler handler) throws Exception {
    scripted.add("g1", "alpha", handler);
    RoutingUpstreamPool pool = RoutingUpstreamPool.wrap(scripted);
    pool.connect("g1", new UpstreamSpec("alpha", UpstreamSpec.Transport.STDIO, null, "x", null, null, null),
        UpstreamListener.NONE);
    return new McpHttpServer(new InMemoryCatalog().tool("g1", "alpha", "echo"), pool, PluginChain.empty(),
        McpSettings.DEFAULTS);
  }

  String url(String path) {
    return "http://127.0.0.1:" + connector.getLocalPort() + path;
  }

  HttpRequest.Builder post(String path, String body, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(b::setHeader);
    return b;
  }

  HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Initializes a session on {@code path} and returns its id. */
  String initialize(String path) throws Exception {
    HttpResponse<String> r = send(post(path, INIT, Map.of()));
    if (r.statusCode() != 200) {
      throw new AssertionError("initialize -> " + r.statusCode() + " " + r.body());
    }
    String id = r.headers().firstValue("Mcp-Session-Id").orElseThrow();
    send(post(path, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", Map.of("Mcp-Session-Id", id)));
    return id;
  }

  static JsonNode json(String s) throws IOException {
    return JsonRpc.MAPPER.readTree(s);
  }

  /** Reads and drops what the handler left of the body, as the gateway's body limit filter does. */
  private static final class ReadsTheRest extends HttpFilter {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
        throws IOException, ServletException {
      chain.doFilter(req, res);
      if (!req.isAsyncStarted()) {
        req.getInputStream().transferTo(OutputStream.nullOutputStream());
      }
    }
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
