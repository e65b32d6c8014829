package dev.mcpgw.gateway.auth;

import com.nimbusds.jose.jwk.JWKSet;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small identity provider's key endpoints on a loopback port: {@code /.well-known/openid-configuration} and
 * {@code /jwks}, counting fetches, able to answer 503 as if down.
 */
final class KeyServer implements AutoCloseable {
  final AtomicInteger jwksFetches = new AtomicInteger();
  final AtomicInteger discoveryFetches = new AtomicInteger();
  private final HttpServer server;
  private volatile JWKSet keys;
  private volatile boolean down;
  private volatile String jwksBody;

  KeyServer(JWKSet keys) throws IOException {
    this.keys = keys;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/jwks", x -> {
      jwksFetches.incrementAndGet();
      answer(x, jwksBody != null ? jwksBody : this.keys.toPublicJWKSet().toString());
    });
    server.createContext("/.well-known/openid-configuration", x -> {
      discoveryFetches.incrementAndGet();
      answer(x, "{\"issuer\":\"" + issuer() + "\",\"jwks_uri\":\"" + issuer() + "/jwks\"}");
    });
    server.start();
  }

  String issuer() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  URI jwks() {
    return URI.create(issuer() + "/jwks");
  }

  void keys(JWKSet next) {
    keys = next;
  }

  /** Serves {@code body} as the JWKS instead of the keys. */
  void jwksBody(String body) {
    jwksBody = body;
  }

  void down(boolean isDown) {
    down = isDown;
  }

  private void answer(HttpExchange x, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    int status = down ? 503 : 200;
    x.getResponseHeaders().add("Content-Type", "application/json");
    x.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
