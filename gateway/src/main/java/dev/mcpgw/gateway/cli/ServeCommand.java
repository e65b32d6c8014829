package dev.mcpgw.gateway.cli;

import dev.mcpgw.gateway.GatewayApplication;
import dev.mcpgw.gateway.auth.Caller;
import dev.mcpgw.gateway.auth.Tenancy;
import dev.mcpgw.gateway.config.GatewaySettings;
import dev.mcpgw.gateway.config.SettingsLoader;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mcpgw serve}: runs the gateway until interrupted. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Runs the gateway.")
final class ServeCommand implements Callable<Integer> {
  static final Duration DEMO_TOKEN_TTL = Duration.ofHours(24);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--host", description = "interface to listen on (default: MCPGW_HOST or 127.0.0.1)")
  String host;

  @Option(names = "--port", description = "port to listen on, 0 for a free one (default: MCPGW_PORT or 4444)")
  Integer port;

  @Option(names = "--demo", description = "also run and register a built-in demo MCP server, and print a ready token")
  boolean demo;

  @Override
  public Integer call() throws Exception {
    if (port != null && (port < 0 || port > 65535)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--port must be from 0 to 65535");
    }
    GatewaySettings loaded = SettingsLoader.fromEnvironment();
    GatewaySettings settings = loaded.withListen(host == null ? loaded.host() : host, port == null ? loaded.port() : port);
    GatewayApplication app;
    try {
      app = GatewayApplication.start(settings, GatewayApplication.Parts.production(), demo);
    } catch (java.io.IOException e) {
      if (e.getCause() instanceof java.net.BindException || e instanceof java.net.BindException) {
        throw new IllegalStateException("cannot listen on " + settings.host() + ":" + settings.port()
            + " (in use?): pass --port <free port> or set MCPGW_PORT", e);
      }
      throw e;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      app.close();
      stopped.countDown();
    }, "mcpgw-shutdown"));
    printBanner(spec.commandLine().getOut(), app, settings);
    stopped.await();
    return 0;
  }

  private void printBanner(PrintWriter out, GatewayApplication app, GatewaySettings settings) {
    String base = app.baseUrl();
    out.println();
    out.println("mcpgw is running on " + base + "   (Ctrl-C stops it)");
    out.println("Console: " + base + "/console/   (traces, upstream health, registry; log in with a token"
        + (settings.auth().adminPassword() != null ? " or the admin user and password)" : ")"));
    if (!demo) {
      out.println("Mint a token with: bin/mcpgw token --user admin --tenant default --platform-admin");
      out.flush();
      return;
    }
    String auth;
    if (settings.auth().required()) {
      String token = app.tokens().issue(new Caller("admin", Tenancy.DEFAULT_TENANT, Caller.Role.PLATFORM_ADMIN), DEMO_TOKEN_TTL);
      out.println();
      out.println("Admin token (24 h):");
      out.println("  export MCPGW_TOKEN=" + token);
      auth = " -H \"Authorization: Bearer $MCPGW_TOKEN\"";
    } else {
      auth = "";
    }
    String h = auth + " -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream'";
    out.println();
    out.println("Try it (MCP over Streamable HTTP; the demo upstream's tools are prefixed 'demo-'):");
    out.println("  curl -s" + auth + " " + base + "/gateways");
    out.println("  SID=$(curl -s -D - -o /dev/null" + h + " " + base + "/mcp \\");
    out.println("    -d '{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
        + "\"capabilities\":{},\"clientInfo\":{\"name\":\"curl\",\"version\":\"1\"}}}' \\");
    out.println("    | tr -d '\\r' | awk 'tolower($1)==\"mcp-session-id:\"{print $2}')");
    out.println("  curl -s" + h + " -H \"Mcp-Session-Id: $SID\" " + base
        + "/mcp -d '{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}'");
    out.println("  curl -s" + h + " -H \"Mcp-Session-Id: $SID\" " + base
        + "/mcp -d '{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}'");
    out.println("  curl -s" + h + " -H \"Mcp-Session-Id: $SID\" " + base + "/mcp \\");
    out.println("    -d '{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"demo-echo\","
        + "\"arguments\":{\"message\":\"hello\"}}}'");
    out.flush();
  }
}
