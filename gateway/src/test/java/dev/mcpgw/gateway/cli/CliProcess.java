package dev.mcpgw.gateway.cli;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code mcpgw} run as its own process (the test classpath stands in for the jar), with its own environment. */
public final class CliProcess implements AutoCloseable {
  private static final Pattern RUNNING = Pattern.compile("mcpgw is running on (http://\\S+)");

  final Process process;
  final List<String> out = new CopyOnWriteArrayList<>();
  final List<String> err = new CopyOnWriteArrayList<>();

  private CliProcess(Process process) {
    this.process = process;
    pump(process.getInputStream(), out);
    pump(process.getErrorStream(), err);
  }

  public static CliProcess start(Path workDir, Map<String, String> env, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("MCPGW_"));
    pb.environment().putAll(env);
    return new CliProcess(pb.start());
  }

  private static void pump(java.io.InputStream in, List<String> lines) {
    Thread.ofVirtual().start(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          lines.add(line);
        }
      } catch (IOException e) {
        // the process ended
      }
    });
  }

  /** Waits for the process to end and returns its exit code. */
  int exitCode() throws InterruptedException {
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      throw new AssertionError("mcpgw did not exit; stderr: " + err);
    }
    // let the pumps drain what the process wrote last
    await().atMost(Duration.ofSeconds(5)).until(() -> !process.isAlive());
    return process.exitValue();
  }

  /** The base URL from the serve banner, once it is printed. */
  public String awaitBaseUrl() {
    String[] url = new String[1];
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> {
      if (!process.isAlive()) {
        throw new AssertionError("mcpgw exited early: " + String.join("\n", err));
      }
      for (String line : out) {
        Matcher m = RUNNING.matcher(line);
        if (m.find()) {
          url[0] = m.group(1);
          return true;
        }
      }
      return false;
    });
    return url[0];
  }

  public String stdout() {
    return String.join("\n", out);
  }

  public String stderr() {
    return String.join("\n", err);
  }

  /** Kills it at once (SIGKILL), as a crash or a lost machine would: no draining, no shutdown hook. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
