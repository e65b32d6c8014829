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
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** The MCP endpoints alone on Jetty (loopback, free port), with a raw HTTP client for bad-input tests. */
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

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
