package dev.mcpgw.observability.testing;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real Zipkin server ({@code io.zipkin:zipkin-server:3.6.1:exec}, copied to {@code target/zipkin} by the build)
 * in a child process of the JDK running the tests, on 127.0.0.1 and a free port, with in-memory storage. Start it
 * once per test class; {@link #close()} kills it.
 */
public final class ZipkinServer implements AutoCloseable {

  private static final Path JAR = Path.of("target", "zipkin", "zipkin-server.jar");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final int port;
  private final Path log;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private ZipkinServer(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** Starts Zipkin and waits until {@code /health} answers UP (about 9 s here, at most 90 s). */
  public static ZipkinServer start() {
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: run the build (generate-test-resources"
          + " copies io.zipkin:zipkin-server:3.6.1:exec there)");
    }
    String java = ProcessHandle.current().info().command().orElseThrow();
    int port = freePort();
    try {
      Path log = Files.createTempFile("zipkin-", ".log");
      Process process = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar",
          JAR.toAbsolutePath().toString(),
          "--armeria.ports[0].port=" + port,
          "--armeria.ports[0].ip=127.0.0.1",
          "--armeria.ports[0].protocols[0]=http")
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      ZipkinServer zipkin = new ZipkinServer(process, port, log);
      try {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(zipkin::healthy);
      } catch (RuntimeException e) {
        zipkin.close();
        throw new IllegalStateException("Zipkin did not become healthy; its log:\n" + zipkin.logTail(), e);
      }
      return zipkin;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Where spans are posted ({@code OTEL_EXPORTER_ZIPKIN_ENDPOINT}). */
  public String spansEndpoint() {
    return base() + "/api/v2/spans";
  }

  /** {@code /api/v2/traces?serviceName=...}: a list of traces, each a list of spans (Zipkin v2 JSON). */
  public JsonNode traces(String serviceName) {
    return get("/api/v2/traces?limit=1000&lookback=86400000&serviceName="
        + URLEncoder.encode(serviceName, StandardCharsets.UTF_8));
  }

  /** {@code /api/v2/trace/{id}}: the spans of one trace, or an empty array when Zipkin has none. */
  public JsonNode trace(String traceId) {
    return get("/api/v2/trace/" + traceId);
  }

  /** The spans of all traces of the service, flattened. */
  public List<JsonNode> spans(String serviceName) {
    List<JsonNode> spans = new java.util.ArrayList<>();
    traces(serviceName).forEach(trace -> trace.forEach(spans::add));
    return spans;
  }

  private JsonNode get(String pathAndQuery) {
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base() + pathAndQuery))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 404) {
        return JSON.createArrayNode();
      }
      if (response.statusCode() != 200) {
        throw new IllegalStateException("Zipkin " + pathAndQuery + " answered " + response.statusCode());
      }
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private boolean healthy() {
    if (!process.isAlive()) {
      throw new IllegalStateException("Zipkin exited with " + process.exitValue());
    }
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base() + "/health"))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 && response.body().contains("UP");
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private String base() {
    return "http://127.0.0.1:" + port;
  }

  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    try {
      Files.deleteIfExists(log);
    } catch (IOException e) {
      // a temp file; nothing to do
    }
  }
}
