package dev.mcpgw.gateway.upstream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.config.StdioEnvironment;
import dev.mcpgw.gateway.jsonrpc.MessageJson;
import dev.mcpgw.observability.logging.ThrottledLogger;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MCP stdio transport, client side: spawns the upstream's command and exchanges newline-delimited JSON over its
 * stdin and stdout; its stderr goes to the log, rate-limited. Closing ends stdin, then terminates the process and
 * everything it started.
 */
final class StdioTransport implements MessageTransport {
  private static final Logger LOG = LoggerFactory.getLogger(StdioTransport.class);
  private static final Logger STDERR = LoggerFactory.getLogger("dev.mcpgw.gateway.upstream.stderr");
  private static final int MAX_STDERR_LINE = 1000;
  /** At most two stderr lines a second per upstream: as many as before (20 per 10 s), without bursts. */
  private static final Duration STDERR_INTERVAL = Duration.ofMillis(500);
  private static final long GRACE_MILLIS = 500;
  private static final long TERM_MILLIS = 2000;

  private final String upstream;
  private final List<String> command;
  private final Map<String, String> env;
  private final ThrottledLogger warnings;
  private final ThrottledLogger stderrLog;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Object writeLock = new Object();
  private volatile Process process;
  private volatile OutputStream stdin;
  private final List<Thread> pumps = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** @param env the process's complete environment (see {@link StdioEnvironment}) */
  StdioTransport(String upstream, String command, List<String> args, Map<String, String> env) {
    this.upstream = upstream;
    this.command = new ArrayList<>();
    this.command.add(command);
    this.command.addAll(args);
    this.env = env;
    this.warnings = ThrottledLogger.of(LOG);
    this.stderrLog = ThrottledLogger.of(STDERR, STDERR_INTERVAL);
  }

  @Override
  public void start(Inbound inbound) {
    ProcessBuilder pb = new ProcessBuilder(command);
    // the complete environment, built by StdioEnvironment: nothing of the gateway's own passes unless allowed
    pb.environment().clear();
    pb.environment().putAll(env);
    Process p;
    try {
      p = pb.start();
    } catch (IOException | RuntimeException e) {
      // the message names the program, never the environment (it may hold credentials)
      throw UpstreamErrors.unavailable(upstream, "could not start '" + command.get(0) + "': "
          + UpstreamErrors.describe(e), e);
    }
    process = p;
    stdin = p.getOutputStream();
    if (closed.get()) {
      // closed while starting (the gateway is stopping): close() may have missed this process
      close();
      throw UpstreamErrors.unavailable(upstream, "was closed while starting");
    }
    // pipe reads block in native code: daemon platform threads, which cannot stall a virtual-thread carrier
    pumps.add(pump("stdout", () -> readStdout(p, inbound)));
    pumps.add(pump("stderr", () -> drainStderr(p.getErrorStream())));
  }

  private Thread pump(String stream, Runnable body) {
    Thread t = Thread.ofPlatform().daemon().name("mcpgw-stdio-" + upstream + "-" + stream).unstarted(body);
    t.start();
    return t;
  }

  private void readStdout(Process p, Inbound inbound) {
    String end = "closed its stdout";
    try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode message;
        try {
          message = MessageJson.MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
          warnings.warn("upstream '{}' wrote a line to stdout that is not JSON; ignored", upstream);
          continue;
        }
        inbound.message(message, null);
      }
    } catch (IOException e) {
      end = "broke its stdout: " + UpstreamErrors.describe(e);
    }
    if (closed.compareAndSet(false, true)) {
      inbound.closed(UpstreamErrors.unavailable(upstream, exitDescription(p, end)));
    }
  }

  private static String exitDescription(Process p, String end) {
    try {
      if (p.waitFor(200, TimeUnit.MILLISECONDS)) {
        return "exited with code " + p.exitValue();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return end;
  }

  private void drainStderr(InputStream err) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(err, StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (!line.isBlank()) {
          stderrLog.info("upstream '{}' stderr: {}", upstream,
              line.length() > MAX_STDERR_LINE ? line.substring(0, MAX_STDERR_LINE) + "..." : line);
        }
      }
    } catch (IOException e) {
      // the process is gone; stdout's reader reports it
    }
  }

  @Override
  public void send(ObjectNode message, Map<String, String> headers, CompletableFuture<?> exchange) {
    OutputStream out = stdin;
    if (out == null || closed.get()) {
      throw UpstreamErrors.unavailable(upstream, "is not running");
    }
    byte[] line;
    try {
      line = MessageJson.MAPPER.writeValueAsBytes(message); // compact: never contains a raw newline
    } catch (JsonProcessingException e) {
      throw UpstreamErrors.protocol(upstream, "could not be sent a message: not serialisable");
    }
    synchronized (writeLock) {
      try {
        out.write(line);
        out.write('\n');
        out.flush();
      } catch (IOException e) {
        throw UpstreamErrors.unavailable(upstream, "is not running (its stdin is closed)", e);
      }
    }
  }

  @Override
  public boolean isOpen() {
    Process p = process;
    return !closed.get() && p != null && p.isAlive();
  }

  /** Ends stdin, gives the process a moment to exit, then terminates it and its descendants, forcibly if needed. */
  @Override
  public void close() {
    closed.set(true);
    Process p = process;
    if (p == null) {
      return;
    }
    List<ProcessHandle> tree = new ArrayList<>();
    p.descendants().forEach(tree::add); // before the parent dies: orphans are no longer its descendants
    try {
      synchronized (writeLock) {
        stdin.close();
      }
    } catch (IOException e) {
      // already closed
    }
    try {
      if (!p.waitFor(GRACE_MILLIS, TimeUnit.MILLISECONDS)) {
        tree.forEach(ProcessHandle::destroy);
        p.destroy();
        if (!p.waitFor(TERM_MILLIS, TimeUnit.MILLISECONDS)) {
          LOG.warn("upstream '{}' did not stop within {} ms; killing it", upstream, TERM_MILLIS);
        }
      }
      tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
      if (p.isAlive()) {
        p.destroyForcibly();
        p.waitFor(TERM_MILLIS, TimeUnit.MILLISECONDS);
      }
      for (Thread t : pumps) {
        t.join(1000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      tree.forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
  }
}
