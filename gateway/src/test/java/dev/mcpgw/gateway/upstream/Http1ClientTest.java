package dev.mcpgw.gateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The upstream HTTP/1.1 client against real local servers: Jetty, and raw sockets where a server must misbehave. */
class Http1ClientTest {
  private final Http1Pool pool = new Http1Pool();
  private final Http1Client client = Http1Client.create(pool, Duration.ofSeconds(5));
  private final AtomicInteger opened = new AtomicInteger();
  private final List<AutoCloseable> closing = new CopyOnWriteArrayList<>();
  private final CountDownLatch firstEventRead = new CountDownLatch(1);
  /** The requests the raw server read, heads only. */
  private final List<String> requests = new CopyOnWriteArrayList<>();
  /** Counted down when /stall was reached; /stall answers once {@link #released} is counted down. */
  private final CountDownLatch stalled = new CountDownLatch(1);
  private final CountDownLatch released = new CountDownLatch(1);
  /** Connections whose client closed them while the raw server waited. */
  private final AtomicInteger closedByClient = new AtomicInteger();
  @TempDir Path dir;

  @AfterEach
  void close() throws Exception {
    released.countDown();
    pool.close();
    for (AutoCloseable c : closing) {
      c.close();
    }
  }

  @Test
  void aContentLengthAnswerIsReadWholeOverOneKeptAliveConnection() throws Exception {
    URI base = jetty(null);
    for (int i = 0; i < 3; i++) {
      UpstreamResponse r = send(new UpstreamRequest(base.resolve("/fixed")).post(("call " + i).getBytes()));
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("Content-Length")).isNotNull();
      assertThat(text(r)).isEqualTo("fixed answer to call " + i);
    }
    assertThat(opened).hasValue(1);
  }

  @Test
  void aChunkedAnswerIsReadWholeAndItsConnectionReused() throws Exception {
    URI base = jetty(null);
    for (int i = 0; i < 2; i++) {
      UpstreamResponse r = send(new UpstreamRequest(base.resolve("/chunked")).get());
      assertThat(r.header("Transfer-Encoding")).isEqualTo("chunked");
      assertThat(text(r)).isEqualTo("one,two,three");
    }
    assertThat(opened).hasValue(1);
  }

  @Test
  void anSseAnswerIsHandedOnEventByEventAsItArrives() throws Exception {
    URI base = jetty(null);
    UpstreamResponse r = send(new UpstreamRequest(base.resolve("/sse")).get());
    SseReader events = new SseReader(r.body());
    // the server sends the second event only once the test has the first: a reader that waited for more would hang
    assertThat(events.next().data()).isEqualTo("{\"n\":1}");
    firstEventRead.countDown();
    assertThat(events.next().data()).isEqualTo("{\"n\":2}");
    assertThat(events.next()).isNull();
    assertThat(events.lastEventId()).isEqualTo("e2");
    assertThat(pool.idleCount(origin(base))).isEqualTo(1); // read to its end: back in the pool
  }

  @Test
  void aBodyClosedBeforeItsEndClosesItsConnectionInsteadOfReusingIt() throws Exception {
    URI base = jetty(null);
    UpstreamResponse r = send(new UpstreamRequest(base.resolve("/sse")).get());
    assertThat(new SseReader(r.body()).next().data()).isEqualTo("{\"n\":1}");
    r.body().close();
    firstEventRead.countDown();
    assertThat(pool.idleCount(origin(base))).isZero();
    assertThat(text(send(new UpstreamRequest(base.resolve("/fixed")).post("x".getBytes()))))
        .isEqualTo("fixed answer to x");
    assertThat(opened).hasValue(2);
  }

  @Test
  void aBodyClosedEarlyWhoseRestIsAlreadyHereLeavesItsConnectionReusable() throws Exception {
    URI base = jetty(null);
    UpstreamResponse r = send(new UpstreamRequest(base.resolve("/fixed")).post("x".getBytes()));
    assertThat(r.body().readNBytes(5)).isEqualTo("fixed".getBytes()); // as Jackson stops after a JSON value
    r.body().close();
    assertThat(text(send(new UpstreamRequest(base.resolve("/fixed")).post("y".getBytes()))))
        .isEqualTo("fixed answer to y");
    assertThat(opened).hasValue(1);
  }

  @Test
  void aConnectionTheServerClosedWhileIdleIsNotUsedAgain() throws Exception {
    // answers each connection's first request, then closes it as a server with a short keep-alive timeout does
    Raw server = raw((in, out, n) -> {
      readRequest(in);
      answer(out, "first");
    });
    URI base = server.uri();
    assertThat(text(send(new UpstreamRequest(base).post("a".getBytes())))).isEqualTo("first");
    await().atMost(Duration.ofSeconds(10)).until(() -> server.ended.get() == 1);
    assertThat(text(send(new UpstreamRequest(base).post("b".getBytes())))).isEqualTo("first");
    assertThat(server.accepted).hasValue(2);
    assertThat(requests).hasSize(2);
  }

  @Test
  void aGetOnAKeptAliveConnectionClosedUnderItIsSentOnceMoreOnANewOne() throws Exception {
    // the first connection reads a second request and closes without a byte of answer
    Raw server = raw((in, out, n) -> {
      readRequest(in);
      answer(out, "answer " + n);
      if (n == 1) {
        readRequest(in); // and closes without answering
      }
    });
    URI base = server.uri();
    assertThat(text(send(new UpstreamRequest(base).get()))).isEqualTo("answer 1");
    assertThat(text(send(new UpstreamRequest(base).get()))).isEqualTo("answer 2");
    assertThat(server.accepted).hasValue(2);
  }

  @Test
  void aPostOnAKeptAliveConnectionClosedUnderItIsNeverSentTwice() throws Exception {
    Raw server = raw((in, out, n) -> {
      readRequest(in);
      answer(out, "answer " + n);
      readRequest(in); // the second POST reached the server, which closes without answering it
    });
    URI base = server.uri();
    assertThat(text(send(new UpstreamRequest(base).post("one".getBytes())))).isEqualTo("answer 1");
    assertThatThrownBy(() -> send(new UpstreamRequest(base).post("two".getBytes())))
        .isInstanceOf(Http1Connection.Unanswered.class);
    assertThat(server.accepted).hasValue(1);
    assertThat(requests).hasSize(2);
  }

  @Test
  void theIdleConnectionsKeptPerOriginAreBounded() throws Exception {
    Raw server = raw((in, out, n) -> {
      if (in.read() < 0) {
        closedByClient.incrementAndGet();
      }
    });
    String origin = origin(server.uri());
    int extra = 3;
    for (int i = 0; i < Http1Pool.MAX_IDLE_PER_ORIGIN + extra; i++) {
      pool.release(Http1Connection.open(origin, "127.0.0.1", server.uri().getPort(), null, 5000));
    }
    assertThat(pool.idleCount(origin)).isEqualTo(Http1Pool.MAX_IDLE_PER_ORIGIN);
    await().atMost(Duration.ofSeconds(10)).until(() -> closedByClient.get() == extra); // the oldest were closed
  }

  @Test
  void aServerThatStallsFailsTheExchangeAtItsDeadline() throws Exception {
    Raw server = raw((in, out, n) -> {
      readRequest(in);
      in.read(); // answers nothing
    });
    Http1Exchange exchange = new Http1Exchange(pool);
    assertThatThrownBy(() -> client.send(new UpstreamRequest(server.uri()).get(), exchange,
        System.nanoTime() + Duration.ofMillis(300).toNanos())).isInstanceOf(SocketTimeoutException.class);
    assertThat(pool.idleCount(origin(server.uri()))).isZero();
  }

  @Test
  void anAbandonedExchangeEndsAtOnceAndClosesItsConnection() throws Exception {
    Raw server = raw((in, out, n) -> {
      readRequest(in);
      if (in.read() < 0) {
        closedByClient.incrementAndGet();
      }
    });
    Http1Exchange exchange = new Http1Exchange(pool);
    CompletableFuture<Throwable> failed = CompletableFuture.supplyAsync(() -> {
      try {
        client.send(new UpstreamRequest(server.uri()).post("x".getBytes()), exchange, 0);
        return null;
      } catch (IOException e) {
        return e;
      }
    });
    await().atMost(Duration.ofSeconds(10)).until(() -> requests.size() == 1);
    exchange.abandon();
    assertThat(failed.get(10, TimeUnit.SECONDS)).isInstanceOf(IOException.class);
    await().atMost(Duration.ofSeconds(10)).until(() -> closedByClient.get() == 1); // the server saw it closed
    assertThat(pool.idleCount(origin(server.uri()))).isZero();
  }

  @Test
  void anAnswerWhoseHeadExceedsItsBoundIsRefused() throws Exception {
    Raw server = raw((in, out, n) -> {
      readRequest(in);
      out.write(("HTTP/1.1 200 OK\r\nX-Big: " + "a".repeat(Http1Connection.MAX_LINE + 10) + "\r\n"
          + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
    });
    assertThatThrownBy(() -> send(new UpstreamRequest(server.uri()).get()))
        .isInstanceOf(IOException.class).hasMessageContaining("exceeds");
    assertThat(pool.idleCount(origin(server.uri()))).isZero();
  }

  @Test
  void tlsTrustsTheGivenStoreAndVerifiesTheHostName() throws Exception {
    Path good = keyStore("good", "ip:127.0.0.1");
    Path other = keyStore("other", "dns:elsewhere.test");
    URI trusted = jetty(good);
    Http1Client tls = new Http1Client(pool, trusting(good, other).getSocketFactory(), Duration.ofSeconds(5));
    UpstreamResponse r = tls.send(new UpstreamRequest(trusted.resolve("/fixed")).post("tls".getBytes()),
        new Http1Exchange(pool), 0);
    assertThat(text(r)).isEqualTo("fixed answer to tls");
    URI misnamed = jetty(other); // trusted, but issued for another name than the one connected to
    assertThatThrownBy(() -> tls.send(new UpstreamRequest(misnamed.resolve("/fixed")).post("x".getBytes()),
        new Http1Exchange(pool), 0)).isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void anAbandonedTlsExchangeEndsAtOnceThoughTheServerStalls() throws Exception {
    Path good = keyStore("good", "ip:127.0.0.1");
    URI base = jetty(good);
    Http1Client tls = new Http1Client(pool, trusting(good).getSocketFactory(), Duration.ofSeconds(5));
    Http1Exchange exchange = new Http1Exchange(pool);
    CompletableFuture<Throwable> failed = CompletableFuture.supplyAsync(() -> {
      try {
        tls.send(new UpstreamRequest(base.resolve("/stall")).post("x".getBytes()), exchange, 0);
        return null;
      } catch (IOException e) {
        return e;
      }
    });
    assertThat(stalled.await(10, TimeUnit.SECONDS)).isTrue();
    exchange.abandon();
    assertThat(failed.get(5, TimeUnit.SECONDS)).isInstanceOf(IOException.class); // long before the server answers
  }

  // --- fixtures

  private UpstreamResponse send(UpstreamRequest request) throws IOException {
    return client.send(request, new Http1Exchange(pool), 0);
  }

  private static String text(UpstreamResponse r) throws IOException {
    try (InputStream in = r.body()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String origin(URI uri) {
    return uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort();
  }

  /** A Jetty server with /fixed (Content-Length), /chunked and /sse answers, over TLS with {@code keyStore}. */
  private URI jetty(Path keyStore) throws Exception {
    Server server = new Server();
    ServerConnector connector;
    if (keyStore == null) {
      connector = new ServerConnector(server);
    } else {
      SslContextFactory.Server ssl = new SslContextFactory.Server();
      ssl.setKeyStorePath(keyStore.toString());
      ssl.setKeyStorePassword("changeit");
      ssl.setKeyStoreType("PKCS12");
      connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory());
    }
    connector.setHost("127.0.0.1");
    connector.addBean(new Connection.Listener() {
      @Override
      public void onOpened(Connection connection) {
        if (connection instanceof org.eclipse.jetty.server.internal.HttpConnection) {
          opened.incrementAndGet();
        }
      }
    });
    server.addConnector(connector);
    server.setHandler(new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        String body = Content.Source.asString(request, StandardCharsets.UTF_8);
        switch (path) {
          case "/fixed" -> {
            byte[] answer = ("fixed answer to " + body).getBytes(StandardCharsets.UTF_8);
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, answer.length);
            try (OutputStream out = Content.Sink.asOutputStream(response)) {
              out.write(answer);
            }
          }
          case "/chunked" -> {
            try (OutputStream out = Content.Sink.asOutputStream(response)) {
              for (String part : new String[] {"one", ",two", ",three"}) {
                out.write(part.getBytes(StandardCharsets.UTF_8));
                out.flush();
              }
            }
          }
          case "/sse" -> {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream");
            try (OutputStream out = Content.Sink.asOutputStream(response)) {
              out.write("id: e1\ndata: {\"n\":1}\n\n".getBytes(StandardCharsets.UTF_8));
              out.flush();
              firstEventRead.await(10, TimeUnit.SECONDS);
              out.write("id: e2\ndata: {\"n\":2}\n\n".getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
              // the client closed the stream
            }
          }
          case "/stall" -> {
            stalled.countDown();
            released.await(30, TimeUnit.SECONDS);
          }
          default -> response.setStatus(404);
        }
        callback.succeeded();
        return true;
      }
    });
    server.start();
    closing.add(server::stop);
    return URI.create((keyStore == null ? "http" : "https") + "://127.0.0.1:" + connector.getLocalPort() + "/");
  }

  /** A keystore with a self-signed EC certificate whose subject alternative name is {@code san}. */
  private Path keyStore(String name, String san) throws Exception {
    Path file = dir.resolve(name + ".p12");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name,
        "-ext", "san=" + san, "-validity", "2", "-keystore", file.toString(), "-storetype", "PKCS12",
        "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(output).isZero();
    return file;
  }

  private static SSLContext trusting(Path... stores) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    for (Path s : stores) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(s)) {
        ks.load(in, "changeit".toCharArray());
      }
      trust.setCertificateEntry(s.getFileName().toString(), ks.getCertificate("server"));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }

  /** What a raw server does with one connection (numbered from 1); the server closes it afterwards. */
  interface Script {
    void run(InputStream in, OutputStream out, int connection) throws Exception;
  }

  /** A server on raw sockets, for the misbehaviours a real server does not show on demand. */
  static final class Raw implements AutoCloseable {
    final ServerSocket socket;
    final AtomicInteger accepted = new AtomicInteger();
    /** Connections the server closed (after their script). */
    final AtomicInteger ended = new AtomicInteger();

    Raw(Script script) throws IOException {
      socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      Thread.ofVirtual().start(() -> {
        while (!socket.isClosed()) {
          Socket s;
          try {
            s = socket.accept();
          } catch (IOException e) {
            return;
          }
          int n = accepted.incrementAndGet();
          Thread.ofVirtual().start(() -> {
            try (s) {
              script.run(s.getInputStream(), s.getOutputStream(), n);
            } catch (Exception e) {
              // the client went away
            } finally {
              ended.incrementAndGet();
            }
          });
        }
      });
    }

    URI uri() {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/mcp");
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  private Raw raw(Script script) throws IOException {
    Raw r = new Raw(script);
    closing.add(r);
    return r;
  }

  /** Reads one request (head and Content-Length body) and records it in {@link #requests}. */
  private void readRequest(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      head.write(b);
      String s = head.toString(StandardCharsets.ISO_8859_1);
      if (s.endsWith("\r\n\r\n")) {
        int length = 0;
        for (String line : s.split("\r\n")) {
          if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
            length = Integer.parseInt(line.substring(15).trim());
          }
        }
        in.readNBytes(length);
        requests.add(s);
        return;
      }
    }
    throw new IOException("the client closed the connection");
  }

  private static void answer(OutputStream out, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + bytes.length + "\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1));
    out.write(bytes);
    out.flush();
  }
}
