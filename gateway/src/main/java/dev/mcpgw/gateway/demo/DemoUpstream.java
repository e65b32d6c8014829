package dev.mcpgw.gateway.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** The demo MCP server on {@code http://127.0.0.1:<free port>/mcp}. */
public final class DemoUpstream implements AutoCloseable {
  /** The name it is registered under. */
  public static final String NAME = "demo";

  private final Server server;
  private final ServerConnector connector;
  private final McpSyncServer mcp;

  private DemoUpstream(Server server, ServerConnector connector, McpSyncServer mcp) {
    this.server = server;
    this.connector = connector;
    this.mcp = mcp;
  }

  /** Starts it on a free loopback port. */
  public static DemoUpstream start() throws Exception {
    JacksonMcpJsonMapper json = new JacksonMcpJsonMapper(new ObjectMapper());
    HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
        .jsonMapper(json)
        .mcpEndpoint("/mcp")
        .build();
    McpSyncServer mcp = McpServer.sync(transport)
        .serverInfo("mcpgw-demo", "1.0.0")
        .jsonMapper(json)
        // run handlers on the calling (virtual) thread instead of Reactor's small bounded-elastic pool
        .immediateExecution(true)
        .capabilities(McpSchema.ServerCapabilities.builder().tools(false).resources(false, false).prompts(false).build())
        .tools(echo(json), add(json), time(json))
        .resources(readme())
        .prompts(greeting())
        .build();

    QueuedThreadPool threads = new QueuedThreadPool();
    threads.setName("mcpgw-demo");
    threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
    Server server = new Server(threads);
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler ctx = new ServletContextHandler("/");
    ServletHolder holder = new ServletHolder(transport);
    holder.setAsyncSupported(true);
    ctx.addServlet(holder, "/mcp");
    server.setHandler(ctx);
    server.start();
    return new DemoUpstream(server, connector, mcp);
  }

  /** Where the gateway reaches it. */
  public String url() {
    return "http://127.0.0.1:" + connector.getLocalPort() + "/mcp";
  }

  private static McpServerFeatures.SyncToolSpecification echo(JacksonMcpJsonMapper json) {
    McpSchema.Tool tool = McpSchema.Tool.builder().name("echo").description("Echoes the message back")
        .inputSchema(json, """
            {"type":"object","properties":{"message":{"type":"string","description":"what to echo"}},"required":["message"]}""")
        .build();
    return McpServerFeatures.SyncToolSpecification.builder().tool(tool)
        .callHandler((exchange, req) -> text("Echo: " + req.arguments().getOrDefault("message", "")))
        .build();
  }

  private static McpServerFeatures.SyncToolSpecification add(JacksonMcpJsonMapper json) {
    McpSchema.Tool tool = McpSchema.Tool.builder().name("add").description("Adds two numbers")
        .inputSchema(json, """
            {"type":"object","properties":{"a":{"type":"number"},"b":{"type":"number"}},"required":["a","b"]}""")
        .build();
    return McpServerFeatures.SyncToolSpecification.builder().tool(tool)
        .callHandler((exchange, req) -> {
          Map<String, Object> args = req.arguments();
          if (!(args.get("a") instanceof Number a) || !(args.get("b") instanceof Number b)) {
            return McpSchema.CallToolResult.builder().addTextContent("a and b must be numbers").isError(true).build();
          }
          double sum = a.doubleValue() + b.doubleValue();
          return text(sum == Math.rint(sum) && Math.abs(sum) < 1e15 ? Long.toString((long) sum) : Double.toString(sum));
        })
        .build();
  }

  private static McpServerFeatures.SyncToolSpecification time(JacksonMcpJsonMapper json) {
    McpSchema.Tool tool = McpSchema.Tool.builder().name("get_time").description("The current time (UTC, ISO-8601)")
        .inputSchema(json, "{\"type\":\"object\",\"properties\":{}}")
        .build();
    return McpServerFeatures.SyncToolSpecification.builder().tool(tool)
        .callHandler((exchange, req) -> text(Instant.now().toString()))
        .build();
  }

  private static McpSchema.CallToolResult text(String s) {
    return McpSchema.CallToolResult.builder().addTextContent(s).isError(false).build();
  }

  private static McpServerFeatures.SyncResourceSpecification readme() {
    McpSchema.Resource resource = McpSchema.Resource.builder().uri("demo://readme").name("readme")
        .description("What the demo upstream offers").mimeType("text/plain").build();
    return new McpServerFeatures.SyncResourceSpecification(resource, (exchange, req) ->
        new McpSchema.ReadResourceResult(List.of(new McpSchema.TextResourceContents("demo://readme", "text/plain",
            "The mcpgw demo upstream: tools echo, add and get_time; this resource; the prompt 'greeting'."))));
  }

  private static McpServerFeatures.SyncPromptSpecification greeting() {
    McpSchema.Prompt prompt = new McpSchema.Prompt("greeting", "Greets someone by name",
        List.of(new McpSchema.PromptArgument("name", "who to greet", true)));
    return new McpServerFeatures.SyncPromptSpecification(prompt, (exchange, req) ->
        new McpSchema.GetPromptResult("A greeting", List.of(new McpSchema.PromptMessage(McpSchema.Role.USER,
            new McpSchema.TextContent("Say hello to " + req.arguments().getOrDefault("name", "someone") + ".")))));
  }

  @Override
  public void close() throws Exception {
    mcp.closeGracefully();
    server.stop();
  }
}
