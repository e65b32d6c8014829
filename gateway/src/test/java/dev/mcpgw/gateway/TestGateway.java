package dev.mcpgw.gateway;

import dev.mcpgw.observability.Observability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mcpgw.gateway.auth.Caller;
import dev.mcpgw.gateway.config.GatewaySettings;
import dev.mcpgw.gateway.config.SettingsLoader;
import dev.mcpgw.gateway.upstream.UpstreamPool;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** A gateway started in-process on a free port for HTTP tests, with a given upstream pool and database. */
final class TestGateway implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The JSON-RPC response a POST got: the body itself, or the response event of an SSE answer (the gateway answers
   * with a stream when a notification, such as a log message or progress, precedes the result).
   */
  static JsonNode rpcAnswer(java.net.http.HttpResponse<String> r) throws Exception {
    if (!r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream")) {
      return JSON.readTree(r.body());
    }
    for (String line : r.body().split("\n")) {
      if (line.startsWith("data:")) {
        JsonNode m = JSON.readTree(line.substring(5).trim());
        if (m.has("result") || m.has("error")) {
          return m;
        }
      }
    }
    throw new AssertionError("no JSON-RPC response in the SSE answer: " + r.body());
  }
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  final GatewayApplication app;
  final String base;

  private TestGateway(GatewayApplication app) {
    this.app = app;
    this.base = app.baseUrl();
  }

  static GatewaySettings settings(Path dataDir, GatewaySettings.Database db, Map<String, String> extraEnv) {
    Map<String, String> env = new HashMap<>();
    env.put("MCPGW_PORT", "0");
    env.put("MCPGW_DATA_DIR", dataDir.toString());
    env.put("MCPGW_DATABASE_URL", db.url());
    if (db.user() != null) {
      env.put("MCPGW_DATABASE_USER", db.user());
    }
    env.put("MCPGW_ADMIN_PASSWORD", "admin-pw");
    env.put("MCPGW_HEALTH_CHECK_INTERVAL", "1h");
    env.putAll(extraEnv);
    return SettingsLoader.load(env, dataDir);
  }

  static TestGateway start(GatewaySettings settings, UpstreamPool pool) throws Exception {
    return start(settings, new GatewayApplication.Parts(s -> Observability.noop(), (s, o) -> pool,
        (s, catalog, p, plugins, o) -> ctx -> {}));
  }

  static TestGateway start(GatewaySettings settings, GatewayApplication.Parts parts) throws Exception {
    return new TestGateway(GatewayApplication.start(settings, parts, false));
  }

  /** As {@code serve --demo} runs: production parts and the built-in demo upstream. */
  static TestGateway startDemo(GatewaySettings settings) throws Exception {
    return new TestGateway(GatewayApplication.start(settings, GatewayApplication.Parts.production(), true));
  }

  /** As {@code serve --demo} runs, with the given parts (e.g. a pipeline that feeds the span store quickly). */
  static TestGateway startDemo(GatewaySettings settings, GatewayApplication.Parts parts) throws Exception {
    return new TestGateway(GatewayApplication.start(settings, parts, true));
  }

  /** With the real upstream pool, MCP endpoints and plugin chain, as {@code serve} runs. */
  static TestGateway startProduction(GatewaySettings settings) throws Exception {
    return start(settings, GatewayApplication.Parts.production());
  }

  /** An admin of tenant {@code acme}: what it registers is private to acme, which {@link #userToken()}'s user sees. */
  String adminToken() {
    return app.tokens().issue(new Caller("root", "acme", true), Duration.ofMinutes(10));
  }

  /** A user of tenant {@code acme}. */
  String userToken() {
    return app.tokens().issue(new Caller("alice", "acme", false), Duration.ofMinutes(10));
  }

  /** The operator: sees every tenant's entities and metrics, and shares entities across tenants. */
  String platformAdminToken() {
    return app.tokens().issue(new Caller("op", "ops", Caller.Role.PLATFORM_ADMIN), Duration.ofMinutes(10));
  }

  /** A token for {@code user} of {@code tenant} with {@code role}. */
  String token(String user, String tenant, Caller.Role role) {
    return app.tokens().issue(new Caller(user, tenant, role), Duration.ofMinutes(10));
  }

  HttpResponse<String> send(String method, String path, String token, String body) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  JsonNode get(String path) throws Exception {
    return get(path, adminToken());
  }

  JsonNode get(String path, String token) throws Exception {
    HttpResponse<String> r = send("GET", path, token, null);
    if (r.statusCode() != 200) {
      throw new AssertionError("GET " + path + " -> " + r.statusCode() + " " + r.body());
    }
    return JSON.readTree(r.body());
  }

  JsonNode post(String path, String body) throws Exception {
    return post(path, body, adminToken());
  }

  JsonNode post(String path, String body, String token) throws Exception {
    HttpResponse<String> r = send("POST", path, token, body);
    if (r.statusCode() != 201 && r.statusCode() != 200) {
      throw new AssertionError("POST " + path + " -> " + r.statusCode() + " " + r.body());
    }
    return JSON.readTree(r.body());
  }

  @Override
  public void close() {
    app.close();
  }
}
