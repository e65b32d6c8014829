package dev.mcpgw.gateway.testing.conformance;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpAsyncServer;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.server.transport.DefaultServerTransportSecurityValidator;
import io.modelcontextprotocol.server.transport.HttpServletSseServerTransportProvider;
import io.modelcontextprotocol.server.transport.HttpServletStatelessServerTransport;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Executors;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The conformance upstream on a free port of 127.0.0.1: Streamable HTTP at {@code /mcp}, legacy SSE at {@code /sse}
 * (messages to {@code /message}). Both endpoints serve the same tools, resources and prompts, and both reject a
 * Host or Origin that is not loopback, as the {@code dns-rebinding-protection} scenario asks. {@code /sessionless}
 * is a 2025-11-25 Streamable HTTP server that hands out no session (the SDK's stateless transport) with the one tool
 * {@code test_simple_text}.
 *
 * <p>In front of {@code /mcp} and {@code /sessionless}, a {@link RevisionClassifier} tells 2026-07-28 (stateless)
 * traffic from session traffic as a 2026-07-28-aware server does, so that a client whose session requests look
 * stateless is refused here as it would be there. {@code /mcp} speaks both revisions: sessions through the SDK, and
 * 2026-07-28 requests through {@link DraftRevision}, which serves every draft scenario of the 0.2.0-alpha.12 suite.
 */
public final class ConformanceUpstream implements AutoCloseable {
  /** The server name it reports in {@code initialize}. */
  public static final String SERVER_NAME = "mcpgw-conformance-upstream";
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private final Server jetty;
  private final ServerConnector connector;
  private final List<McpAsyncServer> servers;
  private final McpStatelessSyncServer sessionless;

  private ConformanceUpstream(Server jetty, ServerConnector connector, List<McpAsyncServer> servers,
      McpStatelessSyncServer sessionless) {
    this.jetty = jetty;
    this.connector = connector;
    this.servers = servers;
    this.sessionless = sessionless;
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
    HttpServletStatelessServerTransport stateless = HttpServletStatelessServerTransport.builder()
        .jsonMapper(json).messageEndpoint("/sessionless").securityValidator(loopbackOnly()).build();
    McpStatelessSyncServer sessionless = McpServer.sync(stateless).serverInfo(SERVER_NAME, "1.0.0").jsonMapper(json)
        .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
        .toolCall(McpSchema.Tool.builder().name("test_simple_text").description("Returns a fixed text")
                .inputSchema(new McpSchema.JsonSchema("object", java.util.Map.of(), List.of(), null, null, null))
                .build(),
            (context, request) -> McpSchema.CallToolResult.builder()
                .addTextContent("This is a simple text response for testing.").build())
        .build();

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
    context.addServlet(holder(stateless), "/sessionless");
    context.addFilter(new FilterHolder(new RevisionClassifier(new DraftRevision(new ObjectMapper()))), "/mcp",
        EnumSet.of(DispatcherType.REQUEST));
    context.addFilter(new FilterHolder(new RevisionClassifier(null)), "/sessionless",
        EnumSet.of(DispatcherType.REQUEST));
    ServletHolder sseHolder = holder(sse);
    context.addServlet(sseHolder, "/sse");
    context.addServlet(sseHolder, "/message");
    jetty.setHandler(context);
    jetty.start();
    return new ConformanceUpstream(jetty, connector, servers, sessionless);
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

  /** The Streamable HTTP endpoint that hands out no session. */
  public String sessionlessUrl() {
    return base() + "/sessionless";
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
    sessionless.closeGracefully();
    jetty.stop();
  }
}
