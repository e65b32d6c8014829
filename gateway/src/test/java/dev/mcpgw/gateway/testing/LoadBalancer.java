package dev.mcpgw.gateway.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Debian's HAProxy on 127.0.0.1 in front of gateway instances, configured as docs/operations.md recommends:
 * round-robin, affinity on {@code Mcp-Session-Id} (stored from the answer that created the session, matched on later
 * requests), a readiness check on {@code GET /ready}, and a retry on another instance when a connection is refused.
 * Its stats page tells which instances it considers up.
 */
public final class LoadBalancer implements AutoCloseable {
  /** Where Debian installs it ({@code .ci/run} installs the package). */
  public static final Path HAPROXY = Path.of("/usr/sbin/haproxy");
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final Process process;
  private final int port;
  private final int statsPort;
  private final List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();

  private LoadBalancer(Process process, int port, int statsPort) {
    this.process = process;
    this.port = port;
    this.statsPort = statsPort;
    Thread.ofVirtual().start(() -> {
      try (var r = process.inputReader()) {
        r.lines().forEach(log::add);
      } catch (IOException e) {
        // it ended
      }
    });
  }

  /**
   * Starts it in front of {@code backends} (name to {@code host:port}) and returns once it reports every one up.
   *
   * @param dir where its configuration is written
   */
  public static LoadBalancer start(Path dir, Map<String, String> backends) throws IOException {
    int port = freePort();
    int statsPort = freePort();
    Path config = dir.resolve("haproxy.cfg");
    Files.writeString(config, config(port, statsPort, backends));
    Process p = new ProcessBuilder(HAPROXY.toString(), "-db", "-f", config.toString()).redirectErrorStream(true)
        .start();
    LoadBalancer lb = new LoadBalancer(p, port, statsPort);
    try {
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
        if (!p.isAlive()) {
          throw new AssertionError("haproxy exited: " + String.join("\n", lb.log));
        }
        // HAProxy starts servers UP: wait for a passed check of each
        Map<String, String> checks = lb.column("check_status");
        return checks.size() == backends.size() && checks.values().stream().allMatch("L7OK"::equals);
      });
    } catch (RuntimeException | Error e) {
      lb.close();
      throw e;
    }
    return lb;
  }

  /** The configuration: the deployment docs/operations.md describes, with short test intervals. */
  static String config(int port, int statsPort, Map<String, String> backends) {
    StringBuilder servers = new StringBuilder();
    backends.forEach((name, address) -> servers.append("  server ").append(name).append(' ').append(address)
        .append(" check inter 500ms fall 2 rise 2\n"));
    return """
        global
          maxconn 1024
        defaults
          mode http
          timeout connect 2s
          timeout check 5s
          timeout client 60s
          timeout server 60s
          retries 2
          option redispatch 1
          retry-on conn-failure
        frontend mcp
          bind 127.0.0.1:%d
          default_backend gateways
        backend gateways
          balance roundrobin
          option httpchk
      http-check send meth GET uri /ready ver HTTP/1.1 hdr Host 127.0.0.1
          http-check expect status 200
          stick-table type string len 128 size 100k expire 30m
          stick match req.hdr(Mcp-Session-Id)
          stick store-response res.hdr(Mcp-Session-Id)
        %s
        listen stats
          bind 127.0.0.1:%d
          stats enable
          stats uri /stats
        """.formatted(port, servers, statsPort);
  }

  /** What HAProxy printed, for a failure's message. */
  public String log() {
    return String.join("\n", log);
  }

  /** {@code http://127.0.0.1:port}. */
  public String url() {
    return "http://127.0.0.1:" + port;
  }

  /** Each backend server's state as HAProxy sees it ({@code UP}, {@code DOWN}, ...), by name. */
  public Map<String, String> states() {
    return column("status");
  }

  /** One column of the stats page for each backend server, by name (the first word of the value). */
  Map<String, String> column(String name) {
    Map<String, String> states = new LinkedHashMap<>();
    try {
      String csv = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + statsPort + "/stats;csv"))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
      List<String> header = new ArrayList<>();
      for (String line : csv.split("\n")) {
        if (line.startsWith("# ")) {
          header = List.of(line.substring(2).split(","));
          continue;
        }
        String[] f = line.split(",", -1);
        int px = header.indexOf("pxname");
        int sv = header.indexOf("svname");
        int status = header.indexOf(name);
        if (px >= 0 && status >= 0 && f.length > status && "gateways".equals(f[px])
            && !"BACKEND".equals(f[sv]) && !"FRONTEND".equals(f[sv])) {
          states.put(f[sv], f[status].split(" ")[0]);
        }
      }
    } catch (IOException e) {
      return states; // not listening yet
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return states;
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
