package dev.mcpgw.gateway.testing.conformance;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpAsyncServer;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.transport.DefaultServerTransportSecurityValidator;
import io.modelcontextprotocol.server.transport.HttpServletSseServerTransportProvider;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.http.HttpServlet;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The conformance upstream on a free port of 127.0.0.1: Streamable HTTP at {@code /mcp}, legacy SSE at {@code /sse}
 * (messages to {@code /message}). Both endpoints serve the same tools, resources and prompts, and both reject a
 * Host or Origin that is not loopback, as the {@code dns-rebinding-protection} scenario asks.
 */
public final class ConformanceUpstream implements AutoCloseable {
  /** The server name it reports in {@code initialize}. */
  public static final String SERVER_NAME = "mcpgw-conformance-upstream";
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private final Server jetty;
  private final ServerConnector connector;
  private final List<McpAsyncServer> servers;

  private ConformanceUpstream(Server jetty, ServerConnector connector, List<McpAsyncServer> servers) {
    this.jetty = jetty;
    this.connector = connector;
    this.servers = servers;
  }

  /** Starts it and returns once it accepts connections. */
  public static ConformanceUpstream start() throws Exception {
    JacksonMcpJsonMapper json = new JacksonMcpJsonMapper(new ObjectMapper());
    HttpServletStreamableServerTransportProvider streamable = HttpServletStreamableServerTransportProvider.builder()
        .jsonMapper(json).mcpEndpoint("/mcp").securityValidator(loopbackOnly()).build();
    HttpServletSseServerTransportProvider sse = HttpServletSseServerTransportProvider.builder()
        .jsonMapper(json).sseEndpoint("/sse").messageEndpoint("/message").securityValidator(loopbackOnly()).build();
    List<McpAsyncServer> servers = List.of(
        features(McpServer.async(streamable), json),
        features(McpServer.async(sse), json));

    QueuedThreadPool threads = new QueuedThreadPool();
    threads.setName("conformance-upstream");
    threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
    Server jetty = new Server(threads);
    ServerConnector connector = new ServerConnector(jetty);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    jetty.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    context.addServlet(holder(streamable), "/mcp");
    ServletHolder sseHolder = holder(sse);
    context.addServlet(sseHolder, "/sse");
    context.addServlet(sseHolder, "/message");
    jetty.setHandler(context);
    jetty.start();
    return new ConformanceUpstream(jetty, connector, servers);
  }

  private static McpAsyncServer features(McpServer.AsyncSpecification<?> spec, JacksonMcpJsonMapper json) {
    return spec.serverInfo(SERVER_NAME, "1.0.0")
        .jsonMapper(json)
        .requestTimeout(REQUEST_TIMEOUT)
        .capabilities(McpSchema.ServerCapabilities.builder()
            .tools(true).resources(true, true).prompts(true).logging().completions().build())
        .tools(new ConformanceTools(json).all())
        .resources(ConformanceResources.resources())
        .resourceTemplates(ConformanceResources.templates())
        .prompts(ConformancePrompts.prompts())
        .completions(ConformancePrompts.completions())
        .build();
  }

  /** DNS-rebinding protection: only loopback hosts and origins, on any port. */
  private static DefaultServerTransportSecurityValidator loopbackOnly() {
    return DefaultServerTransportSecurityValidator.builder()
        .allowedHosts(List.of("127.0.0.1:*", "localhost:*", "[::1]:*"))
        .allowedOrigins(List.of("http://127.0.0.1:*", "http://localhost:*", "http://[::1]:*"))
        .build();
  }

  private static ServletHolder holder(HttpServlet servlet) {
    ServletHolder holder = new ServletHolder(servlet);
    holder.setAsyncSupported(true);
    return holder;
  }

  /** The Streamable HTTP endpoint. */
  public String streamableUrl() {
    return base() + "/mcp";
  }

  /** The legacy SSE endpoint (the stream; the endpoint event names {@code /message}). */
  public String sseUrl() {
    return base() + "/sse";
  }

  private String base() {
    return "http://127.0.0.1:" + connector.getLocalPort();
  }

  @Override
  public void close() throws Exception {
    servers.forEach(s -> s.closeGracefully().block(Duration.ofSeconds(5)));
    jetty.stop();
  }
}
