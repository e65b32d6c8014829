package dev.mcpgw.gateway;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/**
 * The real OpenID provider of the tests: {@code testing/node/oidc-provider.mjs} (npm {@code oidc-provider}) on a
 * loopback port, with client-credentials clients {@code acme-user}, {@code acme-admin} and {@code globex-user}
 * (secret: the id followed by {@code -secret}). Each start generates new signing keys: {@link #restart} rotates them.
 */
final class OidcProvider implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  final int port;
  final String issuer;
  private final Path log;
  private Process process;

  private OidcProvider(int port, Path log) {
    this.port = port;
    this.issuer = "http://127.0.0.1:" + port;
    this.log = log;
  }

  static OidcProvider start(Path dir) throws IOException {
    OidcProvider p = new OidcProvider(NodePeers.freePort(), dir.resolve("oidc-provider.log"));
    p.launch();
    return p;
  }

  private void launch() throws IOException {
    Path script = NodePeers.nodeModules().getParent().resolve("oidc-provider.mjs");
    ProcessBuilder pb = new ProcessBuilder(NodePeers.node().toString(), script.toString())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .directory(script.getParent().toFile());
    pb.environment().put("PORT", Integer.toString(port));
    Process p = pb.start();
    process = p;
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
      if (!p.isAlive()) {
        throw new IllegalStateException("oidc-provider exited: " + Files.readString(log));
      }
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
        return true;
      } catch (IOException e) {
        return false;
      }
    });
  }

  /** Stops the provider and starts it again on the same port with new signing keys (a key rotation). */
  void restart() throws Exception {
    stop();
    launch();
  }

  /** An access token for {@code client} (client credentials, scope {@code mcp}) bound to {@code resource}. */
  String token(String client, String resource) throws Exception {
    String form = "grant_type=client_credentials&scope=mcp&resource=" + URLEncoder.encode(resource, StandardCharsets.UTF_8);
    HttpRequest req = HttpRequest.newBuilder(URI.create(issuer + "/token"))
        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((client + ":" + client + "-secret")
            .getBytes(StandardCharsets.UTF_8)))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build();
    HttpResponse<String> r = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new AssertionError("token request -> " + r.statusCode() + " " + r.body());
    }
    return TestGateway.JSON.readTree(r.body()).get("access_token").asText();
  }

  /** {@code claims} signed with the provider's published key of {@code alg}, or with a key it never published. */
  String sign(Map<String, Object> claims, String alg, boolean unpublished) throws Exception {
    String body = TestGateway.JSON.writeValueAsString(Map.of("claims", claims, "alg", alg, "unpublished", unpublished));
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(issuer + "/test/sign"))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    return TestGateway.JSON.readTree(r.body()).get("token").asText();
  }

  /** How often the JWKS and the discovery document were fetched since the last start. */
  JsonNode stats() throws Exception {
    return TestGateway.JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(issuer + "/test/stats")).build(),
        HttpResponse.BodyHandlers.ofString()).body());
  }

  private void stop() throws InterruptedException {
    if (process != null) {
      process.destroy();
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }

  @Override
  public void close() throws Exception {
    stop();
  }
}
