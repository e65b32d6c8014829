package dev.mcpgw.gateway.upstream;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 request to an upstream, built by a transport and written by {@link Http1Client} in one write: method,
 * target, headers (a header set again replaces the earlier value, names compared without case) and body.
 */
final class UpstreamRequest {
  private final URI uri;
  private final Map<String, Header> headers = new LinkedHashMap<>();
  private String method = "GET";
  private byte[] body;

  UpstreamRequest(URI uri) {
    this.uri = uri;
  }

  /** Sets {@code name} to {@code value}, replacing an earlier value of that header. */
  UpstreamRequest header(String name, String value) {
    headers.put(name.toLowerCase(Locale.ROOT), new Header(name, value));
    return this;
  }

  UpstreamRequest post(byte[] content) {
    this.method = "POST";
    this.body = content;
    return this;
  }

  UpstreamRequest get() {
    this.method = "GET";
    this.body = null;
    return this;
  }

  UpstreamRequest delete() {
    this.method = "DELETE";
    this.body = null;
    return this;
  }

  URI uri() {
    return uri;
  }

  String method() {
    return method;
  }

  /** The value of {@code name}, or {@code null}. */
  String headerValue(String name) {
    Header h = headers.get(name.toLowerCase(Locale.ROOT));
    return h == null ? null : h.value();
  }

  /**
   * Whether the request may be sent again after a kept-alive connection closed under it: GET and DELETE (RFC 9110
   * section 9.2.2). A POST never is: it may have reached the server.
   */
  boolean idempotent() {
    return !"POST".equals(method);
  }

  /** The request head and body as they go on the wire. */
  byte[] encode(String hostHeader) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256 + (body == null ? 0 : body.length));
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    StringBuilder head = new StringBuilder(256).append(method).append(' ').append(path);
    if (uri.getRawQuery() != null) {
      head.append('?').append(uri.getRawQuery());
    }
    head.append(" HTTP/1.1\r\nHost: ").append(hostHeader).append("\r\n");
    for (Header h : headers.values()) {
      check(h.name());
      check(h.value());
      head.append(h.name()).append(": ").append(h.value()).append("\r\n");
    }
    if (body != null) {
      head.append("Content-Length: ").append(body.length).append("\r\n");
    }
    head.append("\r\n");
    out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
    if (body != null) {
      out.writeBytes(body);
    }
    return out.toByteArray();
  }

  /** A header that would end the line early would let a value inject headers: refused. */
  private static void check(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\r' || c == '\n' || c == 0) {
        throw new IllegalArgumentException("a header holds a line break");
      }
    }
  }

  private record Header(String name, String value) {}
}
