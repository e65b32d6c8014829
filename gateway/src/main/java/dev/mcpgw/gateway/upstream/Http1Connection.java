package dev.mcpgw.gateway.upstream;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One HTTP/1.1 connection to an upstream origin, used by one exchange at a time on a blocking socket (a virtual thread
 * parks on it): writes a request in one write, reads the answer's head within bounds and hands out body bytes
 * without waiting for more than one read. TLS sockets verify the host name.
 */
final class Http1Connection implements AutoCloseable {
  /** The longest line of an answer's head (status line, one header, a chunk size line). */
  static final int MAX_LINE = 8 * 1024;
  /** The longest head of an answer, all lines together. */
  static final int MAX_HEAD = 64 * 1024;
  /** Larger than {@link #MAX_LINE}: a whole line fits. */
  private static final int BUFFER = MAX_LINE + 1024;

  /** The connection ended before a byte of the answer came: the request may not have been read at all. */
  static final class Unanswered extends IOException {
    Unanswered(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** An answer's head: status, whether the connection may carry another exchange, headers (lower-case names). */
  record Head(int status, boolean keepAlive, Map<String, String> headers) {}

  private final String origin;
  private final SocketChannel channel;
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final byte[] buffer = new byte[BUFFER];
  private int position;
  private int limit;
  private boolean answered;
  private volatile boolean closed;
  private long idleSince;

  private Http1Connection(String origin, SocketChannel channel, Socket socket) throws IOException {
    this.origin = origin;
    this.channel = channel;
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  /**
   * Connects to {@code host:port} within {@code timeoutMillis} (TCP and, with {@code tls}, the handshake, which
   * verifies the certificate's name against {@code host}).
   */
  static Http1Connection open(String origin, String host, int port, SSLSocketFactory tls, int timeoutMillis)
      throws IOException {
    SocketChannel channel = SocketChannel.open();
    try {
      Socket plain = channel.socket();
      plain.connect(new InetSocketAddress(host, port), Math.max(1, timeoutMillis));
      plain.setTcpNoDelay(true);
      Socket socket = plain;
      if (tls != null) {
        SSLSocket ssl = (SSLSocket) tls.createSocket(plain, host, port, true);
        SSLParameters params = ssl.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        ssl.setSSLParameters(params);
        ssl.setSoTimeout(Math.max(1, timeoutMillis));
        ssl.startHandshake();
        ssl.setSoTimeout(0);
        socket = ssl;
      }
      return new Http1Connection(origin, channel, socket);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  String origin() {
    return origin;
  }

  /** Bounds each read from now on ({@code 0}: unbounded). */
  void readTimeout(int millis) throws IOException {
    socket.setSoTimeout(millis);
  }

  /** Writes a whole request; the answer is read next. */
  void write(byte[] request) throws IOException {
    answered = false;
    out.write(request);
    out.flush();
  }

  /**
   * Reads the head of the answer, skipping interim (1xx) answers. Fails with {@link Unanswered} when the connection
   * ends or breaks before any byte of it arrived, and when the head or one of its lines exceeds its bound.
   */
  Head readHead() throws IOException {
    int[] budget = {MAX_HEAD};
    while (true) {
      String statusLine;
      try {
        statusLine = line(budget);
      } catch (SocketTimeoutException e) {
        throw e;
      } catch (IOException e) {
        if (!answered) {
          throw new Unanswered("the connection closed before the answer", e);
        }
        throw e;
      }
      if (statusLine == null) {
        throw answered ? new EOFException("the connection closed in the answer's head")
            : new Unanswered("the connection closed before the answer", null);
      }
      if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12 || statusLine.charAt(8) != ' ') {
        throw new IOException("the answer is not HTTP/1.x");
      }
      int status;
      try {
        status = Integer.parseInt(statusLine.substring(9, 12));
      } catch (NumberFormatException e) {
        throw new IOException("the answer has no status code");
      }
      Map<String, String> headers = new HashMap<>();
      String line;
      while ((line = line(budget)) != null && !line.isEmpty()) {
        int colon = line.indexOf(':');
        if (colon <= 0 || line.charAt(0) == ' ' || line.charAt(0) == '\t') {
          throw new IOException("the answer has a malformed header line");
        }
        String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = line.substring(colon + 1).trim();
        String before = headers.putIfAbsent(name, value);
        if (before != null && name.equals("content-length") && !before.equals(value)) {
          throw new IOException("the answer has two different Content-Length headers");
        }
      }
      if (line == null) {
        throw new EOFException("the connection closed in the answer's head");
      }
      if (status >= 100 && status < 200 && status != 101) {
        continue; // interim answer (100 Continue, 103 Early Hints): the real one follows
      }
      boolean keepAlive = statusLine.startsWith("HTTP/1.1")
          && !headers.getOrDefault("connection", "").toLowerCase(Locale.ROOT).contains("close");
      return new Head(status, keepAlive, headers);
    }
  }

  /**
   * One line without its end (CRLF or LF), decoded as ISO-8859-1, within {@code MAX_LINE} and what is left of
   * {@code budget[0]}; {@code null} at the end of the stream before any byte of the line.
   */
  String line(int[] budget) throws IOException {
    int scanned = 0;
    while (true) {
      for (int i = position + scanned; i < limit; i++) {
        if (buffer[i] == '\n') {
          if (i - position > MAX_LINE) {
            throw new IOException("a line of the answer exceeds " + MAX_LINE + " bytes");
          }
          int end = i > position && buffer[i - 1] == '\r' ? i - 1 : i;
          String line = new String(buffer, position, end - position, StandardCharsets.ISO_8859_1);
          budget[0] -= i + 1 - position;
          position = i + 1;
          if (budget[0] < 0) {
            throw new IOException("the answer's head exceeds " + MAX_HEAD + " bytes");
          }
          return line;
        }
      }
      scanned = limit - position;
      if (scanned >= MAX_LINE || scanned > budget[0]) {
        throw new IOException("a line of the answer exceeds " + Math.min(MAX_LINE, budget[0]) + " bytes");
      }
      if (!fill()) {
        if (limit == position) {
          return null;
        }
        throw new EOFException("the connection closed in a line");
      }
    }
  }

  /** Up to {@code len} bytes of what follows the head, waiting for one read at most; -1 at the end of the stream. */
  int read(byte[] b, int off, int len) throws IOException {
    if (position == limit) {
      if (len >= buffer.length) {
        int n = in.read(b, off, len);
        answered |= n > 0;
        return n;
      }
      if (!fill()) {
        return -1;
      }
    }
    int n = Math.min(len, limit - position);
    System.arraycopy(buffer, position, b, off, n);
    position += n;
    return n;
  }

  /** Bytes already read from the socket and not yet handed out. */
  int buffered() {
    return limit - position;
  }

  private boolean fill() throws IOException {
    if (position > 0) {
      System.arraycopy(buffer, position, buffer, 0, limit - position);
      limit -= position;
      position = 0;
    }
    if (limit == buffer.length) {
      throw new IOException("a line of the answer exceeds " + MAX_LINE + " bytes");
    }
    int n = in.read(buffer, limit, buffer.length - limit);
    if (n < 0) {
      return false;
    }
    answered = true;
    limit += n;
    return true;
  }

  /** Marks the connection idle (in the pool) from {@code now}. */
  void idle(long now) {
    idleSince = now;
  }

  long idleSince() {
    return idleSince;
  }

  /**
   * Whether an idle connection can carry another request: nothing arrived on it meanwhile (no end of stream from a
   * server that closed it, no stray bytes). One non-blocking read, no wait.
   */
  boolean reusable() {
    if (closed || position != limit) {
      return false;
    }
    try {
      channel.configureBlocking(false);
      try {
        return channel.read(ByteBuffer.allocate(1)) == 0;
      } finally {
        channel.configureBlocking(true);
      }
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  boolean isClosed() {
    return closed;
  }

  /**
   * Closes the connection; a read or write under way on another thread fails at once. The TCP channel first: a TLS
   * socket's own close would try to say goodbye to the server first, which a stalled server need not let happen.
   */
  @Override
  public void close() {
    closed = true;
    try {
      channel.close();
    } catch (IOException e) {
      // closing anyway
    }
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}
