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

  BlockingHttpSender(HttpSenderConfig config) {
    this.config = config;
    this.uri = config.getEndpoint();
  }

  @Override
  public synchronized void send(MessageWriter writer, Consumer<HttpResponse> onResponse, Consumer<Throwable> onError) {
    try {
      if (socket == null) {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()),
            (int) config.getConnectTimeout().toMillis());
        socket.setSoTimeout((int) config.getTimeout().toMillis());
        out = new BufferedOutputStream(socket.getOutputStream(), 65536);
        in = new BufferedInputStream(socket.getInputStream(), 8192);
      }
      StringBuilder h = new StringBuilder(256);
      h.append("POST ").append(uri.getRawPath()).append(" HTTP/1.1\r\nHost: ").append(uri.getHost()).append(':')
          .append(uri.getPort()).append("\r\nContent-Type: ").append(config.getContentType())
          .append("\r\nContent-Length: ").append(writer.getContentLength()).append("\r\n");
      Map<String, List<String>> headers = config.getHeadersSupplier().get();
      if (headers != null) {
        headers.forEach((k, vs) -> vs.forEach(v -> h.append(k).append(": ").append(v).append("\r\n")));
      }
      h.append("\r\n");
      out.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
      writer.writeMessage(out);
      out.flush();
      onResponse.accept(read());
    } catch (IOException | RuntimeException e) {
      close();
      onError.accept(e);
    }
  }

  private HttpResponse read() throws IOException {
    String status = line();
    int code = Integer.parseInt(status.substring(9, 12));
    String message = status.length() > 13 ? status.substring(13) : "";
    int length = 0;
    boolean chunked = false;
    for (String l = line(); !l.isEmpty(); l = line()) {
      int c = l.indexOf(':');
      String name = l.substring(0, c).trim();
      String value = l.substring(c + 1).trim();
      if (name.equalsIgnoreCase("Content-Length")) {
        length = Integer.parseInt(value);
      } else if (name.equalsIgnoreCase("Transfer-Encoding") && value.equalsIgnoreCase("chunked")) {
        chunked = true;
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
      body.write(in.readNBytes(length));
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
  public synchronized CompletableResultCode shutdown() {
    close();
    return CompletableResultCode.ofSuccess();
  }
}
