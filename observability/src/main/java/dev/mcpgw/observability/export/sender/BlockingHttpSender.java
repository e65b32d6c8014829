package dev.mcpgw.observability.export.sender;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.HttpResponse;
import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.MessageWriter;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** EXPERIMENT: one kept-alive socket, requests written and answers read on the caller's thread. */
final class BlockingHttpSender implements HttpSender {
  private final HttpSenderConfig config;
  private final URI uri;
  private Socket socket;
  private OutputStream out;
  private InputStream in;

  private final java.util.concurrent.ExecutorService executor;
  private final boolean ownExecutor;

  BlockingHttpSender(HttpSenderConfig config) {
    this.config = config;
    this.uri = config.getEndpoint();
    this.ownExecutor = config.getExecutorService() == null;
    this.executor = ownExecutor ? java.util.concurrent.Executors.newSingleThreadExecutor(
        r -> Thread.ofPlatform().name("mcpgw-otlp-sender").daemon().unstarted(r)) : config.getExecutorService();
  }

  /**
   * The exchange runs on the sender's own thread, not the exporter's: an exporter that stops waiting after its
   * timeout (and counts the export as timed out) must not wait for the socket's read timeout first.
   */
  @Override
  public void send(MessageWriter writer, Consumer<HttpResponse> onResponse, Consumer<Throwable> onError) {
    byte[] body;
    try {
      body = body(writer);
    } catch (IOException | RuntimeException e) {
      onError.accept(e);
      return;
    }
    try {
      long deadline = System.nanoTime() + config.getTimeout().toNanos();
      executor.execute(() -> exchangeWithRetries(body, deadline, onResponse, onError));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      onError.accept(e);
    }
  }

  /**
   * Sends unless the request waited behind others past its timeout: its exporter has given up on it by then (and the
   * resilient export buffers it for a replay), so sending it late would deliver its spans twice, out of order.
   */
  private synchronized void exchangeWithRetries(byte[] body, long deadline, Consumer<HttpResponse> onResponse,
      Consumer<Throwable> onError) {
    if (System.nanoTime() - deadline > 0) {
      onError.accept(new java.net.http.HttpTimeoutException("request timed out before it was sent"));
      return;
    }
    io.opentelemetry.sdk.common.export.RetryPolicy retry = config.getRetryPolicy();
    int attempts = retry == null ? 1 : Math.max(1, retry.getMaxAttempts());
    long backoff = retry == null ? 0 : retry.getInitialBackoff().toNanos();
    for (int attempt = 1; ; attempt++) {
      HttpResponse response = null;
      IOException failure = null;
      try {
        response = exchange(body);
      } catch (IOException e) {
        failure = e;
      } catch (RuntimeException e) {
        close();
        onError.accept(e);
        return;
      }
      boolean retryable = failure != null ? retryable(retry, failure) : RETRYABLE.contains(response.getStatusCode());
      if (!retryable || attempt >= attempts || System.nanoTime() - deadline > 0) {
        if (failure != null) {
          onError.accept(failure);
        } else {
          onResponse.accept(response);
        }
        return;
      }
      long sleep = java.util.concurrent.ThreadLocalRandom.current().nextLong(Math.max(1, backoff));
      try {
        java.util.concurrent.TimeUnit.NANOSECONDS.sleep(sleep);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        onError.accept(failure != null ? failure : new IOException("interrupted before a retry"));
        return;
      }
      backoff = (long) Math.min(retry.getMaxBackoff().toNanos(), backoff * retry.getBackoffMultiplier());
    }
  }

  private static final java.util.Set<Integer> RETRYABLE = java.util.Set.of(429, 502, 503, 504);

  private static boolean retryable(io.opentelemetry.sdk.common.export.RetryPolicy retry, IOException e) {
    if (retry == null) {
      return false;
    }
    java.util.function.Predicate<IOException> p = retry.getRetryExceptionPredicate();
    return p != null ? p.test(e) : e instanceof java.net.ConnectException
        || e instanceof java.net.SocketTimeoutException;
  }

  /** The request's body, compressed when the exporter asks for it. */
  private byte[] body(MessageWriter writer) throws IOException {
    io.opentelemetry.sdk.common.export.Compressor compressor = config.getCompressor();
    ByteArrayOutputStream buffer = new ByteArrayOutputStream(Math.max(32, writer.getContentLength()));
    if (compressor == null) {
      writer.writeMessage(buffer);
    } else {
      try (OutputStream c = compressor.compress(buffer)) {
        writer.writeMessage(c);
      }
    }
    return buffer.toByteArray();
  }

  /**
   * One request and its answer. A kept-alive connection the receiver closed while idle fails before any answer
   * arrives: the request goes again once, on a new connection.
   */
  private HttpResponse exchange(byte[] body) throws IOException {
    try {
      return exchangeOnce(body);
    } catch (java.net.SocketTimeoutException e) {
      // the JDK sender's exception types, which the export metrics' error_type and the runbooks name
      throw socket == null && connecting ? new java.net.http.HttpConnectTimeoutException(e.getMessage())
          : new java.net.http.HttpTimeoutException("request timed out: " + e.getMessage());
    }
  }

  private boolean connecting;

  private HttpResponse exchangeOnce(byte[] body) throws IOException {
    boolean reused = socket != null;
    try {
      connect();
      write(body);
      return read();
    } catch (IOException e) {
      close();
      if (!reused || e instanceof java.net.SocketTimeoutException) {
        throw e;
      }
      connect();
      try {
        write(body);
        return read();
      } catch (IOException again) {
        close();
        throw again;
      }
    }
  }

  private void write(byte[] body) throws IOException {
    boolean tls = "https".equalsIgnoreCase(uri.getScheme());
    StringBuilder h = new StringBuilder(256);
    h.append("POST ").append(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
        .append(" HTTP/1.1\r\nHost: ").append(uri.getHost());
    if (uri.getPort() > 0 && uri.getPort() != (tls ? 443 : 80)) {
      h.append(':').append(uri.getPort());
    }
    h.append("\r\nContent-Type: ").append(config.getContentType())
        .append("\r\nContent-Length: ").append(body.length).append("\r\n");
    if (config.getCompressor() != null) {
      h.append("Content-Encoding: ").append(config.getCompressor().getEncoding()).append("\r\n");
    }
    Map<String, List<String>> headers = config.getHeadersSupplier() == null ? null
        : config.getHeadersSupplier().get();
    if (headers != null) {
      headers.forEach((k, vs) -> vs.forEach(v -> h.append(k).append(": ").append(v).append("\r\n")));
    }
    h.append("\r\n");
    out.write(h.toString().getBytes(StandardCharsets.UTF_8));
    out.write(body);
    out.flush();
  }

  private void connect() throws IOException {
    if (socket != null) {
      return;
    }
    boolean tls = "https".equalsIgnoreCase(uri.getScheme());
    int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
    Socket plain = new Socket();
    connecting = true;
    try {
      plain.setTcpNoDelay(true);
      plain.connect(new InetSocketAddress(uri.getHost(), port), (int) config.getConnectTimeout().toMillis());
      Socket s = plain;
      if (tls) {
        javax.net.ssl.SSLContext context = config.getSslContext() != null ? config.getSslContext()
            : javax.net.ssl.SSLContext.getDefault();
        javax.net.ssl.SSLSocket ssl = (javax.net.ssl.SSLSocket) context.getSocketFactory()
            .createSocket(plain, uri.getHost(), port, true);
        javax.net.ssl.SSLParameters parameters = ssl.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        if (config.getEnabledProtocols() != null) {
          parameters.setProtocols(config.getEnabledProtocols().toArray(String[]::new));
        }
        ssl.setSSLParameters(parameters);
        ssl.startHandshake();
        s = ssl;
      }
      s.setSoTimeout((int) Math.min(Integer.MAX_VALUE, config.getTimeout().toMillis()));
      socket = s;
      out = new BufferedOutputStream(s.getOutputStream(), 65536);
      in = new BufferedInputStream(s.getInputStream(), 8192);
      connecting = false;
    } catch (IOException | java.security.GeneralSecurityException e) {
      plain.close();
      throw e instanceof IOException io ? io : new IOException(e);
    }
  }

  private HttpResponse read() throws IOException {
    String status = line();
    int code = Integer.parseInt(status.substring(9, 12));
    String message = status.length() > 13 ? status.substring(13) : "";
    int length = 0;
    boolean chunked = false;
    boolean closeAfter = false;
    for (String l = line(); !l.isEmpty(); l = line()) {
      int c = l.indexOf(':');
      String name = l.substring(0, c).trim();
      String value = l.substring(c + 1).trim();
      if (name.equalsIgnoreCase("Content-Length")) {
        length = Integer.parseInt(value);
      } else if (name.equalsIgnoreCase("Transfer-Encoding") && value.equalsIgnoreCase("chunked")) {
        chunked = true;
      } else if (name.equalsIgnoreCase("Connection") && value.equalsIgnoreCase("close")) {
        closeAfter = true;
      }
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if (chunked) {
      for (int n = Integer.parseInt(line().trim(), 16); n > 0; n = Integer.parseInt(line().trim(), 16)) {
        body.write(in.readNBytes(n));
        line();
      }
      line();
    } else {
      if (length > config.getMaxResponseBodySize()) {
        throw new IOException("the receiver's answer is larger than " + config.getMaxResponseBodySize() + " bytes");
      }
      body.write(in.readNBytes(length));
    }
    if (closeAfter) {
      close();
    }
    byte[] bytes = body.toByteArray();
    return new HttpResponse() {
      @Override
      public int getStatusCode() {
        return code;
      }

      @Override
      public String getStatusMessage() {
        return message;
      }

      @Override
      public byte[] getResponseBody() {
        return bytes;
      }
    };
  }

  private String line() throws IOException {
    StringBuilder b = new StringBuilder(64);
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new IOException("connection closed");
      }
      if (c != '\r') {
        b.append((char) c);
      }
    }
    return b.toString();
  }

  private void close() {
    try {
      if (socket != null) {
        socket.close();
      }
    } catch (IOException e) {
      // closing
    }
    socket = null;
  }

  @Override
  public CompletableResultCode shutdown() {
    if (ownExecutor) {
      executor.shutdown();
    }
    synchronized (this) {
      close();
    }
    return CompletableResultCode.ofSuccess();
  }
}
