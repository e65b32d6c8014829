package dev.mcpgw.gateway.upstream;

import java.io.IOException;
import java.net.URI;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Locale;
import javax.net.ssl.SSLSocketFactory;

/**
 * A blocking HTTP/1.1 client for the upstream transports, run by the caller's virtual thread: a request is one write
 * on a kept-alive connection from {@link Http1Pool} (or a new one), its answer's head one read in the common case.
 * No redirects are followed (a 3xx is an answer like any other). A kept-alive connection that the server closed
 * before answering is replaced by a new one once, for requests that may be sent again (see
 * {@link UpstreamRequest#idempotent()}), or when the request could not even be written.
 */
final class Http1Client {
  private final Http1Pool pool;
  private final SSLSocketFactory tls;
  private final Duration connectTimeout;

  Http1Client(Http1Pool pool, SSLSocketFactory tls, Duration connectTimeout) {
    this.pool = pool;
    this.tls = tls;
    this.connectTimeout = connectTimeout;
  }

  /** With the JVM's default trust store, hence the default TLS settings. */
  static Http1Client create(Http1Pool pool, Duration connectTimeout) {
    return new Http1Client(pool, (SSLSocketFactory) SSLSocketFactory.getDefault(), connectTimeout);
  }

  Http1Pool pool() {
    return pool;
  }

  /**
   * Sends {@code request} and reads its answer's head; the body is left to the caller.
   *
   * @param exchange abandoning it closes the connection, failing what is under way
   * @param headDeadline the {@link System#nanoTime()} by which the head must have arrived (connect included), or
   *     {@code 0} for none beyond the connect timeout
   * @throws SocketTimeoutException when the deadline passed
   */
  UpstreamResponse send(UpstreamRequest request, Http1Exchange exchange, long headDeadline) throws IOException {
    URI uri = request.uri();
    boolean secure = "https".equalsIgnoreCase(uri.getScheme());
    String host = uri.getHost();
    if (host == null) {
      throw new IOException("the URL has no host");
    }
    int port = uri.getPort() != -1 ? uri.getPort() : secure ? 443 : 80;
    String origin = (secure ? "https://" : "http://") + host.toLowerCase(Locale.ROOT) + ":" + port;
    String hostHeader = uri.getPort() == -1 ? host : host + ":" + port;
    byte[] bytes = request.encode(hostHeader);
    for (int attempt = 0; ; attempt++) {
      Http1Connection c = attempt == 0 ? pool.take(origin) : null;
      boolean reused = c != null;
      if (c == null) {
        int timeout = (int) Math.min(connectTimeout.toMillis(), millisLeft(headDeadline, Integer.MAX_VALUE));
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        c = Http1Connection.open(origin, bare, port, secure ? tls : null, timeout);
      }
      exchange.use(c);
      try {
        c.write(bytes);
      } catch (IOException e) {
        c.close();
        if (reused && !exchange.abandoned()) {
          continue; // the request did not go out whole: nothing of it can have been handled
        }
        throw e;
      }
      Http1Connection.Head head;
      try {
        c.readTimeout(millisLeft(headDeadline, 0));
        head = c.readHead();
        c.readTimeout(0);
      } catch (Http1Connection.Unanswered e) {
        c.close();
        if (reused && request.idempotent() && !exchange.abandoned()) {
          continue;
        }
        throw e;
      } catch (IOException e) {
        c.close();
        throw e;
      }
      return new UpstreamResponse(head.status(), head.headers(), body(c, exchange, head, request));
    }
  }

  private static Http1Body body(Http1Connection c, Http1Exchange exchange, Http1Connection.Head head,
      UpstreamRequest request) throws IOException {
    int status = head.status();
    if (status == 204 || status == 304 || "HEAD".equals(request.method())) {
      return new Http1Body(c, exchange, Http1Body.Framing.EMPTY, 0, head.keepAlive());
    }
    String encoding = head.headers().get("transfer-encoding");
    if (encoding != null) {
      if (!encoding.toLowerCase(Locale.ROOT).endsWith("chunked")) {
        return new Http1Body(c, exchange, Http1Body.Framing.UNTIL_CLOSE, 0, false);
      }
      return new Http1Body(c, exchange, Http1Body.Framing.CHUNKED, 0, head.keepAlive());
    }
    String length = head.headers().get("content-length");
    if (length != null) {
      long n;
      try {
        n = Long.parseLong(length.trim());
      } catch (NumberFormatException e) {
        n = -1;
      }
      if (n < 0) {
        c.close();
        throw new IOException("the answer has a malformed Content-Length");
      }
      return new Http1Body(c, exchange, Http1Body.Framing.LENGTH, n, head.keepAlive());
    }
    return new Http1Body(c, exchange, Http1Body.Framing.UNTIL_CLOSE, 0, false);
  }

  /** Milliseconds until {@code deadline} (at least 1), or {@code none} without a deadline. */
  private static int millisLeft(long deadline, int none) throws SocketTimeoutException {
    if (deadline == 0) {
      return none;
    }
    long left = (deadline - System.nanoTime()) / 1_000_000;
    if (left <= 0) {
      throw new SocketTimeoutException("the deadline passed");
    }
    return (int) Math.min(left, Integer.MAX_VALUE);
  }
}
