package dev.mcpgw.observability.internal.export.sender;

import io.opentelemetry.sdk.common.export.HttpResponse;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One kept-alive HTTP/1.1 connection to an OTLP receiver: a POST per export and its answer, over TLS when the
 * endpoint is https (the exporter's {@code SSLContext}, host name verified). Not thread-safe: its sender calls it
 * from one thread at a time, and only {@link #close()} may come from another.
 */
final class OtlpConnection {

  /** Longest status or header line accepted from a receiver. */
  private static final int MAX_LINE = 8192;

  private final HttpSenderConfig config;
  private final URI uri;
  private final boolean tls;
  private final int port;
  private final byte[] head;
  private volatile Socket socket;
  private OutputStream out;
  private InputStream in;

  OtlpConnection(HttpSenderConfig config) {
    this.config = config;
    this.uri = config.getEndpoint();
    this.tls = "https".equalsIgnoreCase(uri.getScheme());
    this.port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
    this.head = fixedHead(uri, tls, port, config);
  }

  private static byte[] fixedHead(URI uri, boolean tls, int port, HttpSenderConfig config) {
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    StringBuilder h = new StringBuilder(256).append("POST ").append(path);
    if (uri.getRawQuery() != null) {
      h.append('?').append(uri.getRawQuery());
    }
    h.append(" HTTP/1.1\r\nHost: ").append(uri.getHost());
    if (port != (tls ? 443 : 80)) {
      h.append(':').append(port);
    }
    h.append("\r\nContent-Type: ").append(config.getContentType()).append("\r\n");
    if (config.getCompressor() != null) {
      h.append("Content-Encoding: ").append(config.getCompressor().getEncoding()).append("\r\n");
    }
    return h.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Sends {@code body} and reads the answer, waiting at most {@code timeoutMillis} for each read. A kept-alive
   * connection the receiver closed while it was idle fails before any answer arrives: the request then goes once more
   * on a new connection.
   */
  HttpResponse exchange(byte[] body, int timeoutMillis) throws IOException {
    boolean reused = socket != null;
    try {
      try {
        return exchangeOnce(body, timeoutMillis);
      } catch (NoAnswerYet e) {
        if (!reused) {
          throw e;
        }
      }
      return exchangeOnce(body, timeoutMillis);
    } catch (SocketTimeoutException e) {
      // as the JDK sender reports it (the export metrics' error_type); the connection is closed already
      throw new HttpTimeoutException("request timed out: " + e.getMessage());
    }
  }

  private HttpResponse exchangeOnce(byte[] body, int timeoutMillis) throws IOException {
    try {
      connect();
      socket.setSoTimeout(timeoutMillis);
      writeRequest(body);
      return readResponse();
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  private void writeRequest(byte[] body) throws IOException {
    StringBuilder h = new StringBuilder(128);
    h.append("Content-Length: ").append(body.length).append("\r\n");
    Map<String, List<String>> headers = config.getHeadersSupplier() == null ? null : config.getHeadersSupplier().get();
    if (headers != null) {
      for (Map.Entry<String, List<String>> header : headers.entrySet()) {
        for (String value : header.getValue()) {
          String problem = HeaderLines.problem(header.getKey(), value);
          if (problem != null) {
            // as the JDK sender refuses such a header; the value may be a credential and is not named
            throw new IOException("export header '" + HeaderLines.printable(header.getKey()) + "' " + problem);
          }
          h.append(header.getKey()).append(": ").append(value).append("\r\n");
        }
      }
    }
    h.append("\r\n");
    try {
      out.write(head);
      out.write(h.toString().getBytes(StandardCharsets.UTF_8));
      out.write(body);
      out.flush();
    } catch (IOException e) {
      throw new NoAnswerYet(e);
    }
  }

  private void connect() throws IOException {
    if (socket != null) {
      return;
    }
    Socket plain = new Socket();
    try {
      plain.setTcpNoDelay(true);
      plain.connect(new InetSocketAddress(uri.getHost(), port), (int) Math.max(1, config.getConnectTimeout().toMillis()));
      Socket s = tls ? handshake(plain) : plain;
      out = new BufferedOutputStream(s.getOutputStream(), 65536);
      in = new BufferedInputStream(s.getInputStream(), 8192);
      socket = s;
    } catch (SocketTimeoutException e) {
      plain.close();
      throw new HttpConnectTimeoutException("HTTP connect timed out: " + e.getMessage());
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      plain.close();
      throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
    }
  }

  private SSLSocket handshake(Socket plain) throws IOException, GeneralSecurityException {
    SSLContext context = config.getSslContext() != null ? config.getSslContext() : SSLContext.getDefault();
    SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(plain, uri.getHost(), port, true);
    SSLParameters parameters = ssl.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    if (config.getEnabledProtocols() != null) {
      parameters.setProtocols(config.getEnabledProtocols().toArray(String[]::new));
    }
    ssl.setSSLParameters(parameters);
    ssl.setSoTimeout((int) Math.max(1, config.getConnectTimeout().toMillis()));
    ssl.startHandshake();
    return ssl;
  }

  private HttpResponse readResponse() throws IOException {
    String status = firstLine();
    while (status.length() >= 12 && status.charAt(9) == '1') {
      // an interim answer (100 Continue, ...): its headers, then the real one
      skipHeaders();
      status = line();
    }
    if (status.length() < 12 || !status.startsWith("HTTP/1.") || status.charAt(8) != ' ') {
      throw new IOException("the receiver's answer is not HTTP/1.x: " + printable(status));
    }
    int code = parseStatus(status);
    String reason = status.length() > 13 ? status.substring(13) : "";
    long length = -1;
    boolean chunked = false;
    boolean closeAfter = false;
    for (String l = line(); !l.isEmpty(); l = line()) {
      int colon = l.indexOf(':');
      if (colon <= 0) {
        throw new IOException("malformed header line from the receiver: " + printable(l));
      }
      String name = l.substring(0, colon).trim();
      String value = l.substring(colon + 1).trim();
      if (name.equalsIgnoreCase("Content-Length")) {
        length = parseLength(value);
      } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
        chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
      } else if (name.equalsIgnoreCase("Connection")) {
        closeAfter = value.equalsIgnoreCase("close");
      }
    }
    boolean bodiless = code == 204 || code == 304;
    // an answer with neither length nor chunks ends when the connection does (RFC 9112, 6.3)
    boolean untilClose = !chunked && length < 0 && !bodiless;
    byte[] body = chunked ? chunkedBody() : bodiless ? new byte[0] : fixedBody(length);
    if (closeAfter || untilClose) {
      close();
    }
    return new Answer(code, reason, body);
  }

  /** A body of {@code length} bytes, or up to the end of the connection when the length is unknown (-1). */
  private byte[] fixedBody(long length) throws IOException {
    if (length < 0) {
      return bounded(in.readNBytes(limit() + 1));
    }
    if (length > limit()) {
      throw new IOException("the receiver's answer is larger than " + limit() + " bytes");
    }
    byte[] body = in.readNBytes((int) length);
    if (body.length < length) {
      throw new IOException("connection closed inside the receiver's answer");
    }
    return body;
  }

  private byte[] chunkedBody() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (long size = chunkSize(line()); size > 0; size = chunkSize(line())) {
      if (body.size() + size > limit()) {
        throw new IOException("the receiver's answer is larger than " + limit() + " bytes");
      }
      byte[] chunk = in.readNBytes((int) size);
      if (chunk.length < size) {
        throw new IOException("connection closed inside the receiver's answer");
      }
      body.write(chunk);
      line();
    }
    skipHeaders();
    return body.toByteArray();
  }

  private byte[] bounded(byte[] bytes) throws IOException {
    if (bytes.length > limit()) {
      throw new IOException("the receiver's answer is larger than " + limit() + " bytes");
    }
    return bytes;
  }

  private int limit() {
    long max = config.getMaxResponseBodySize();
    return (int) Math.max(0, Math.min(Integer.MAX_VALUE - 16, max));
  }

  private void skipHeaders() throws IOException {
    while (!line().isEmpty()) {
      // trailer or interim header lines carry nothing the exporter reads
    }
  }

  private static int parseStatus(String status) throws IOException {
    try {
      return Integer.parseInt(status, 9, 12, 10);
    } catch (NumberFormatException e) {
      throw new IOException("the receiver's status line has no status code: " + printable(status));
    }
  }

  private static long parseLength(String value) throws IOException {
    try {
      long length = Long.parseLong(value);
      if (length >= 0) {
        return length;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new IOException("malformed Content-Length from the receiver: " + printable(value));
  }

  private static long chunkSize(String line) throws IOException {
    int semicolon = line.indexOf(';');
    String hex = (semicolon < 0 ? line : line.substring(0, semicolon)).trim();
    try {
      long size = Long.parseLong(hex, 16);
      if (size >= 0) {
        return size;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new IOException("malformed chunk size from the receiver: " + printable(line));
  }

  /** The status line; a connection that ends before it sent anything was closed while idle. */
  private String firstLine() throws IOException {
    int first;
    try {
      first = in.read();
    } catch (SocketTimeoutException e) {
      throw e;
    } catch (IOException e) {
      throw new NoAnswerYet(e);
    }
    if (first < 0) {
      throw new NoAnswerYet(new IOException("connection closed by the receiver"));
    }
    return lineFrom(first);
  }

  private String line() throws IOException {
    return lineFrom(in.read());
  }

  private String lineFrom(int first) throws IOException {
    StringBuilder b = new StringBuilder(64);
    for (int c = first; c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new IOException("connection closed inside the receiver's answer");
      }
      if (b.length() >= MAX_LINE) {
        throw new IOException("a line of the receiver's answer is longer than " + MAX_LINE + " bytes");
      }
      if (c != '\r') {
        b.append((char) c);
      }
    }
    return b.toString();
  }

  private static String printable(String s) {
    String cut = s.length() > 80 ? s.substring(0, 80) + "..." : s;
    return cut.replaceAll("[^\\x20-\\x7e]", "?");
  }

  void close() {
    Socket s = socket;
    socket = null;
    if (s != null) {
      try {
        s.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }

  /** The request could not be written, or the connection ended before the answer's first byte. */
  private static final class NoAnswerYet extends IOException {
    private static final long serialVersionUID = 1L;

    NoAnswerYet(IOException cause) {
      super(cause.getMessage(), cause);
    }
  }

  private record Answer(int code, String reason, byte[] body) implements HttpResponse {
    @Override
    public int getStatusCode() {
      return code;
    }

    @Override
    public String getStatusMessage() {
      return reason;
    }

    @Override
    public byte[] getResponseBody() {
      return body;
    }
  }
}
