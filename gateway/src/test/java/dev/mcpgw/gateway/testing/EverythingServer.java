package dev.mcpgw.gateway.testing;

import dev.mcpgw.gateway.NodePeers;
import dev.mcpgw.gateway.store.UpstreamSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The reference MCP server {@code @modelcontextprotocol/server-everything} from npm, started over Streamable HTTP or
 * legacy SSE on a free port of 127.0.0.1 only (its listen is pinned to loopback by a preloaded script), or described
 * as a stdio command. {@link #close()} kills it and whatever it started.
 */
public final class EverythingServer implements AutoCloseable {

  /** How server-everything is reached. */
  public enum Mode {
    STREAMABLE_HTTP("streamableHttp", "/mcp", UpstreamSpec.Transport.STREAMABLE_HTTP),
    SSE("sse", "/sse", UpstreamSpec.Transport.SSE);

    private final String argument;
    private final String path;
    private final UpstreamSpec.Transport transport;

    Mode(String argument, String path, UpstreamSpec.Transport transport) {
      this.argument = argument;
      this.path = path;
      this.transport = transport;
    }
  }

  private final Mode mode;
  private final int port;
  private final Process process;
  private final Path log;

  private EverythingServer(Mode mode, int port, Process process, Path log) {
    this.mode = mode;
    this.port = port;
    this.process = process;
    this.log = log;
  }

  /** Starts it and returns once it accepts connections; {@code workDir} receives its log. */
  public static EverythingServer start(Mode mode, Path workDir) {
    try {
      int port = NodePeers.freePort();
      Path log = Files.createTempFile(workDir, "everything-" + mode.argument, ".log");
      return new EverythingServer(mode, port, NodePeers.startEverything(mode.argument, port, log), log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The stdio form, as an upstream spec: the gateway spawns it itself. */
  public static UpstreamSpec stdioSpec(String name, Map<String, String> env) {
    List<String> command = NodePeers.everythingStdio();
    return new UpstreamSpec(name, UpstreamSpec.Transport.STDIO, null, command.get(0), command.subList(1, command.size()),
        env, Map.of());
  }

  /** The spec of this running server for an upstream named {@code name}, sending {@code headers}. */
  public UpstreamSpec spec(String name, Map<String, String> headers) {
    return new UpstreamSpec(name, mode.transport, url(), null, List.of(), Map.of(), headers);
  }

  public String url() {
    return "http://127.0.0.1:" + port + mode.path;
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** What it printed so far (its log), for assertion messages. */
  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** Kills it at once, as a crash would (SIGKILL), with its children. */
  public void kill() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    kill();
  }
}
