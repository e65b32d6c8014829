package dev.mcpgw.observability.internal.export.sender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.sdk.common.export.Compressor;
import io.opentelemetry.sdk.common.export.HttpResponse;
import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.MessageWriter;
import io.opentelemetry.sdk.common.export.ProxyOptions;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BlockingHttpSenderTest {
  private HttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  /** A receiver that reads each export, counts it in {@code requests} and answers 200. */
  private URI countingReceiver(AtomicInteger requests) throws IOException {
    return serve(ex -> {
      ex.getRequestBody().readAllBytes();
      requests.incrementAndGet();
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
  }

  private URI serve(com.sun.net.httpserver.HttpHandler handler) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v1/traces", handler);
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces");
  }

  private static MessageWriter message(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return new MessageWriter() {
      @Override
      public void writeMessage(OutputStream out) throws IOException {
        out.write(bytes);
      }

      @Override
      public int getContentLength() {
        return bytes.length;
      }
    };
  }

  private static Object send(HttpSender sender, String text) throws Exception {
    CompletableFuture<Object> done = new CompletableFuture<>();
    sender.send(message(text), done::complete, done::complete);
    return done.get(20, TimeUnit.SECONDS);
  }

  /** One export through a sender made for {@code config}, shut down after: its answer, or what failed it. */
  private static Object sendOnce(Config config, String text) throws Exception {
    HttpSender sender = new BlockingHttpSenderProvider().createSender(config);
    try {
      return send(sender, text);
    } finally {
      sender.shutdown();
    }
  }

  @Test
  void aRequestCarriesItsBodyContentTypeAndHeadersAndTheAnswerComesBack() throws Exception {
    java.util.Set<Object> peers = java.util.concurrent.ConcurrentHashMap.newKeySet();
    URI uri = serve(ex -> {
      peers.add(ex.getRemoteAddress());
      byte[] got = ex.getRequestBody().readAllBytes();
      boolean right = new String(got, StandardCharsets.UTF_8).equals("spans")
          && "application/x-protobuf".equals(ex.getRequestHeaders().getFirst("Content-Type"))
          && "secret".equals(ex.getRequestHeaders().getFirst("X-Api-Key"));
      byte[] answer = (right ? "ok" : "wrong").getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(right ? 200 : 400, answer.length);
      ex.getResponseBody().write(answer);
      ex.close();
    });
    HttpSender sender = new BlockingHttpSenderProvider().createSender(new Config(uri));
    try {
      for (int i = 0; i < 3; i++) {
        Object r = send(sender, "spans");
        assertThat(r).isInstanceOf(HttpResponse.class);
        assertThat(((HttpResponse) r).getStatusCode()).isEqualTo(200);
        assertThat(new String(((HttpResponse) r).getResponseBody(), StandardCharsets.UTF_8)).isEqualTo("ok");
      }
      assertThat(peers).as("one kept-alive connection").hasSize(1);
    } finally {
      sender.shutdown();
    }
  }

  @Test
  void aCompressedRequestSaysItsEncoding() throws Exception {
    URI uri = serve(ex -> {
      boolean gzip = "gzip".equals(ex.getRequestHeaders().getFirst("Content-Encoding"));
      byte[] raw = ex.getRequestBody().readAllBytes();
      String text = gzip ? new String(new GZIPInputStream(new java.io.ByteArrayInputStream(raw)).readAllBytes(),
          StandardCharsets.UTF_8) : "";
      ex.sendResponseHeaders(text.equals("spans") ? 200 : 400, -1);
      ex.close();
    });
    Config config = new Config(uri);
    config.compressor = new Compressor() {
      @Override
      public String getEncoding() {
        return "gzip";
      }

      @Override
      public OutputStream compress(OutputStream out) throws IOException {
        return new GZIPOutputStream(out);
      }
    };
    assertThat(((HttpResponse) sendOnce(config, "spans")).getStatusCode()).isEqualTo(200);
  }

  @Test
  void anUnavailableReceiverIsTriedAgainByTheRetryPolicy() throws Exception {
    AtomicInteger requests = new AtomicInteger();
    URI uri = serve(ex -> {
      ex.getRequestBody().readAllBytes();
      ex.sendResponseHeaders(requests.incrementAndGet() == 1 ? 503 : 200, -1);
      ex.close();
    });
    Config config = new Config(uri);
    config.retry = RetryPolicy.builder().setMaxAttempts(3).setInitialBackoff(Duration.ofMillis(10)).build();
    assertThat(((HttpResponse) sendOnce(config, "spans")).getStatusCode()).isEqualTo(200);
    assertThat(requests).hasValue(2);
  }

  @Test
  void aReceiverThatDoesNotAnswerInTimeFailsTheExportAsTheJdkSenderDoes() throws Exception {
    java.util.concurrent.CountDownLatch answer = new java.util.concurrent.CountDownLatch(1);
    URI uri = serve(ex -> {
      try {
        answer.await(20, TimeUnit.SECONDS); // the receiver that does not answer
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ex.close();
    });
    Config config = new Config(uri);
    config.timeout = Duration.ofMillis(300);
    HttpSender sender = new BlockingHttpSenderProvider().createSender(config);
    try {
      assertThat(send(sender, "spans")).isInstanceOf(java.net.http.HttpTimeoutException.class);
    } finally {
      answer.countDown();
      sender.shutdown();
    }
  }

  @Test
  void aReceiverThatIsDownFailsTheExportWithConnectException() throws Exception {
    URI uri = serve(ex -> ex.close());
    server.stop(0);
    server = null;
    HttpSender sender = new BlockingHttpSenderProvider().createSender(new Config(uri));
    try {
      assertThat(send(sender, "spans")).isInstanceOf(java.net.ConnectException.class);
    } finally {
      sender.shutdown();
    }
  }

  @Test
  void aKeptAliveConnectionTheReceiverClosedWhileIdleIsReplacedWithoutLosingTheExport() throws Exception {
    AtomicInteger requests = new AtomicInteger();
    try (RawReceiver receiver = new RawReceiver(in -> {
      readRequest(in);
      requests.incrementAndGet();
      // answers keep-alive, then closes the idle connection as receivers do after their idle timeout
      return "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
    })) {
      HttpSender sender = new BlockingHttpSenderProvider().createSender(new Config(receiver.uri()));
      try {
        assertThat(((HttpResponse) send(sender, "first")).getStatusCode()).isEqualTo(200);
        assertThat(((HttpResponse) send(sender, "second")).getStatusCode()).isEqualTo(200);
        assertThat(requests).hasValue(2);
        assertThat(receiver.connections()).isEqualTo(2);
      } finally {
        sender.shutdown();
      }
    }
  }

  @Test
  void anAnswerWithoutLengthEndsWithItsConnectionAndTheNextExportTakesANewOne() throws Exception {
    try (RawReceiver receiver = new RawReceiver(in -> {
      readRequest(in);
      return "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nbody until close";
    })) {
      HttpSender sender = new BlockingHttpSenderProvider().createSender(new Config(receiver.uri()));
      try {
        for (int i = 0; i < 2; i++) {
          HttpResponse answer = (HttpResponse) send(sender, "spans");
          assertThat(new String(answer.getResponseBody(), StandardCharsets.UTF_8)).isEqualTo("body until close");
        }
        assertThat(receiver.connections()).isEqualTo(2);
      } finally {
        sender.shutdown();
      }
    }
  }

  @Test
  void anAnswerThatIsNotHttpTooLargeOrEndlessFailsTheExportWithAMessageThatSaysSo() throws Exception {
    Map<String, String> answers = Map.of(
        "SSH-2.0-OpenSSH_9.6\r\n", "not HTTP/1.x",
        "HTTP/1.1 200 OK\r\nContent-Length: 99999999999\r\n\r\n", "larger than",
        "HTTP/1.1 200 OK\r\nX-Endless: " + "a".repeat(20_000), "longer than 8192 bytes",
        "HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\n", "malformed Content-Length");
    for (Map.Entry<String, String> answer : answers.entrySet()) {
      try (RawReceiver receiver = new RawReceiver(in -> {
        readRequest(in);
        return answer.getKey();
      })) {
        Config config = new Config(receiver.uri());
        config.maxResponseBody = 1024;
        assertThat(sendOnce(config, "spans")).as(answer.getValue()).isInstanceOf(IOException.class)
            .extracting(e -> ((Throwable) e).getMessage()).asString().contains(answer.getValue());
      }
    }
  }

  @Test
  void anExportThatWaitedBehindOthersPastItsTimeoutIsNotSentLate() throws Exception {
    AtomicInteger requests = new AtomicInteger();
    URI uri = countingReceiver(requests);
    Config config = new Config(uri);
    config.timeout = Duration.ofMillis(50);
    config.executor = java.util.concurrent.Executors.newSingleThreadExecutor();
    java.util.concurrent.CountDownLatch busy = new java.util.concurrent.CountDownLatch(1);
    // the sender's thread is held by an earlier exchange until well past the export's timeout
    config.executor.execute(() -> {
      try {
        busy.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    HttpSender sender = new BlockingHttpSenderProvider().createSender(config);
    try {
      CompletableFuture<Object> late = new CompletableFuture<>();
      long queued = System.nanoTime();
      sender.send(message("late"), late::complete, late::complete);
      await().until(() -> System.nanoTime() - queued > TimeUnit.MILLISECONDS.toNanos(150));
      busy.countDown();
      assertThat(late.get(20, TimeUnit.SECONDS)).isInstanceOf(java.net.http.HttpTimeoutException.class)
          .extracting(e -> ((Throwable) e).getMessage()).asString().contains("before it was sent");
      assertThat(((HttpResponse) send(sender, "next")).getStatusCode()).isEqualTo(200);
      assertThat(requests).as("only the export in time reached the receiver").hasValue(1);
    } finally {
      sender.shutdown();
      config.executor.shutdownNow();
    }
  }

  @Test
  void exportsBeyondTheFewThatMayWaitFailAtOnceInsteadOfPilingUpInMemory() throws Exception {
    java.util.concurrent.CountDownLatch answer = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch arrived = new java.util.concurrent.CountDownLatch(1);
    URI uri = serve(ex -> {
      ex.getRequestBody().readAllBytes();
      arrived.countDown();
      try {
        answer.await(20, TimeUnit.SECONDS); // a receiver that holds the first export
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    HttpSender sender = new BlockingHttpSenderProvider().createSender(new Config(uri));
    try {
      List<CompletableFuture<Object>> results = new java.util.ArrayList<>();
      for (int i = 0; i < BlockingHttpSender.QUEUED + 2; i++) {
        CompletableFuture<Object> done = new CompletableFuture<>();
        sender.send(message("batch " + i), done::complete, done::complete);
        results.add(done);
        if (i == 0) {
          assertThat(arrived.await(20, TimeUnit.SECONDS)).as("the first export is with the receiver").isTrue();
        }
      }
      CompletableFuture<Object> last = results.get(results.size() - 1);
      assertThat(last.get(5, TimeUnit.SECONDS)).as("failed at once, while the others still wait")
          .isInstanceOf(java.util.concurrent.RejectedExecutionException.class);
      answer.countDown();
      for (CompletableFuture<Object> waited : results.subList(0, results.size() - 1)) {
        assertThat(waited.get(20, TimeUnit.SECONDS)).isInstanceOf(HttpResponse.class);
      }
    } finally {
      answer.countDown();
      sender.shutdown();
    }
  }

  @Test
  void aHeaderValueWithALineBreakFailsTheExportWithoutSendingIt() throws Exception {
    AtomicInteger requests = new AtomicInteger();
    URI uri = countingReceiver(requests);
    Config config = new Config(uri);
    config.headers = Map.of("X-Api-Key", List.of("s3cr3t\r\nX-Injected: 1"));
    assertThat(sendOnce(config, "spans")).isInstanceOf(IOException.class)
        .extracting(e -> ((Throwable) e).getMessage()).asString()
        .contains("'X-Api-Key'").contains("line break").doesNotContain("s3cr3t").doesNotContain("Injected");
    assertThat(requests).as("nothing reached the receiver").hasValue(0);
  }

  @Test
  void anExporterWithAProxyGetsTheJdkSender() throws Exception {
    Config config = new Config(URI.create("http://127.0.0.1:4318/v1/traces"));
    config.proxy = ProxyOptions.create(new InetSocketAddress("127.0.0.1", 3128));
    HttpSender sender = new BlockingHttpSenderProvider().createSender(config);
    try {
      assertThat(sender).isNotInstanceOf(BlockingHttpSender.class);
    } finally {
      sender.shutdown();
    }
  }

  private static void readRequest(java.io.InputStream in) throws IOException {
    int length = 0;
    for (String line = line(in); !line.isEmpty(); line = line(in)) {
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    in.readNBytes(length);
  }

  private static String line(java.io.InputStream in) throws IOException {
    StringBuilder b = new StringBuilder();
    for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
      if (c != '\r') {
        b.append((char) c);
      }
    }
    return b.toString();
  }

  /** A receiver on a plain socket: each connection gets one request answered with what the script returns. */
  private static final class RawReceiver implements AutoCloseable {
    interface Script {
      String answer(java.io.InputStream in) throws IOException;
    }

    private final java.net.ServerSocket server;
    private final AtomicInteger connections = new AtomicInteger();
    private final Thread acceptor;

    RawReceiver(Script script) throws IOException {
      server = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
      acceptor = Thread.ofPlatform().daemon().start(() -> {
        while (!server.isClosed()) {
          try (java.net.Socket s = server.accept()) {
            connections.incrementAndGet();
            String answer = script.answer(s.getInputStream());
            s.getOutputStream().write(answer.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
          } catch (IOException e) {
            // the next connection, or closed
          }
        }
      });
    }

    URI uri() {
      return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/v1/traces");
    }

    int connections() {
      return connections.get();
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }

  /** The settings the exporter hands its sender, those a test sets and the rest as the SDK's defaults. */
  private static final class Config implements HttpSenderConfig {
    final URI uri;
    Compressor compressor;
    RetryPolicy retry;
    ProxyOptions proxy;
    ExecutorService executor;
    Map<String, List<String>> headers = Map.of("X-Api-Key", List.of("secret"));
    long maxResponseBody = 4 * 1024 * 1024;
    Duration timeout = Duration.ofSeconds(10);

    Config(URI uri) {
      this.uri = uri;
    }

    @Override
    public URI getEndpoint() {
      return uri;
    }

    @Override
    public String getContentType() {
      return "application/x-protobuf";
    }

    @Override
    public long getMaxResponseBodySize() {
      return maxResponseBody;
    }

    @Override
    public Compressor getCompressor() {
      return compressor;
    }

    @Override
    public Duration getTimeout() {
      return timeout;
    }

    @Override
    public Duration getConnectTimeout() {
      return Duration.ofSeconds(10);
    }

    @Override
    public Supplier<Map<String, List<String>>> getHeadersSupplier() {
      return () -> headers;
    }

    @Override
    public ProxyOptions getProxyOptions() {
      return proxy;
    }

    @Override
    public RetryPolicy getRetryPolicy() {
      return retry;
    }

    @Override
    public SSLContext getSslContext() {
      return null;
    }

    @Override
    public X509TrustManager getTrustManager() {
      return null;
    }

    @Override
    public ExecutorService getExecutorService() {
      return executor;
    }
  }
}
