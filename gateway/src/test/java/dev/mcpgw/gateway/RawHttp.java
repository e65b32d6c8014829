package dev.mcpgw.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * One plain TCP connection to a gateway on loopback, for what an HTTP client library would not send: malformed
 * request lines, header lines dripped slowly, bodies that never end. Every read is bounded by a socket timeout.
 */
final class RawHttp implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;

  private RawHttp(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
  }

  static RawHttp connect(int port, Duration readTimeout) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    s.setSoTimeout((int) readTimeout.toMillis());
    return new RawHttp(s);
  }

  RawHttp send(String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
    socket.getOutputStream().flush();
    return this;
  }

  /** One whole response (headers, and a body of {@code Content-Length} bytes or until the server closes). */
  Response read() throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      head.write(b);
      byte[] h = head.toByteArray();
      int n = h.length;
      if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
        break;
      }
    }
    String headers = head.toString(StandardCharsets.ISO_8859_1);
    if (headers.isEmpty()) {
      return null;
    }
    int length = -1;
    for (String line : headers.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
      }
    }
    byte[] body = length >= 0 ? in.readNBytes(length) : in.readAllBytes();
    return new Response(headers, new String(body, StandardCharsets.UTF_8));
  }

  /** Reads until the line that starts with {@code prefix} and returns it (for SSE streams). */
  String readLineStartingWith(String prefix) throws IOException {
    StringBuilder line = new StringBuilder();
    int b;
    while ((b = in.read()) != -1) {
      if (b == '\n') {
        String l = line.toString().strip();
        if (l.startsWith(prefix)) {
          return l;
        }
        line.setLength(0);
      } else {
        line.append((char) b);
      }
    }
    return null;
  }

  /** Whether the server has closed the connection: a read sees end of stream (or a reset) within the timeout. */
  boolean closedByServer() throws IOException {
    try {
      while (in.read() != -1) {
        // what the server wrote before closing does not matter here
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  /** Whether the server closes the connection within {@code wait} (nothing else may arrive meanwhile). */
  boolean closedWithin(Duration wait) throws IOException {
    int before = socket.getSoTimeout();
    socket.setSoTimeout((int) wait.toMillis());
    try {
      return in.read() == -1;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    } finally {
      socket.setSoTimeout(before);
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  /** A status line with headers, and the body. */
  record Response(String headers, String body) {
    int status() {
      return Integer.parseInt(headers.substring(9, 12));
    }

    /** The value of a header, or {@code null}. */
    String header(String name) {
      for (String line : headers.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
          return line.substring(colon + 1).trim();
        }
      }
      return null;
    }
  }
}
