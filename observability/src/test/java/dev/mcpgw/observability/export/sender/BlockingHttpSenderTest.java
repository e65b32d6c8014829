package dev.mcpgw.observability.export.sender;

import static org.assertj.core.api.Assertions.assertThat;

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
    HttpSender sender = new BlockingHttpSenderProvider().createSender(config);
    try {
      assertThat(((HttpResponse) send(sender, "spans")).getStatusCode()).isEqualTo(200);
    } finally {
      sender.shutdown();
    }
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
    HttpSender sender = new BlockingHttpSenderProvider().createSender(config);
    try {
      assertThat(((HttpResponse) send(sender, "spans")).getStatusCode()).isEqualTo(200);
      assertThat(requests).hasValue(2);
    } finally {
      sender.shutdown();
    }
  }

  @Test
  void aReceiverThatDoesNotAnswerInTimeFailsTheExportAsTheJdkSenderDoes() throws Exception {
    URI uri = serve(ex -> {
      try {
        Thread.sleep(3_000); // the slow receiver under test
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

  /** The settings the exporter hands its sender, those a test sets and the rest as the SDK's defaults. */
  private static final class Config implements HttpSenderConfig {
    final URI uri;
    Compressor compressor;
    RetryPolicy retry;
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
      return () -> Map.of("X-Api-Key", List.of("secret"));
    }

    @Override
    public ProxyOptions getProxyOptions() {
      return null;
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
      return null;
    }
  }
}
