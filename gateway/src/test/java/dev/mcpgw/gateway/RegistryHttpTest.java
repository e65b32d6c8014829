package dev.mcpgw.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.config.GatewaySettings;
import dev.mcpgw.gateway.federation.ScriptedUpstreamPool;
import dev.mcpgw.gateway.store.PostgresExtension;
import dev.mcpgw.gateway.store.TestDatabases;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The admin API over real HTTP, with upstreams scripted by a test pool. */
@ExtendWith(PostgresExtension.class)
class RegistryHttpTest {
  @TempDir Path tmp;

  private static ScriptedUpstreamPool pool() {
    ScriptedUpstreamPool pool = new ScriptedUpstreamPool();
    pool.upstream("everything")
        .tools("[{\"name\":\"echo\"},{\"name\":\"add\"}]")
        .prompts("[{\"name\":\"simple\"}]")
        .resources("[{\"uri\":\"test://static/resource/1\",\"name\":\"r1\"}]",
            "[{\"uriTemplate\":\"test://static/resource/{id}\",\"name\":\"t\"}]");
    return pool;
  }

  private static void fill(TestGateway gw) throws Exception {
    String id = gw.post("/gateways", """
        {"name":"everything","transport":"streamablehttp","url":"http://127.0.0.1:9/mcp",
         "headers":{"X-Api-Key":"k-123"}}""").get("id").asText();
    gw.post("/prompts", """
        {"name":"greet","template":"Hello {{ who }}","arguments":[{"name":"who","required":true}]}""");
    gw.post("/resources", "{\"uri\":\"docs://guide\",\"content\":\"# Guide\",\"mimeType\":\"text/markdown\"}");
    String toolId = gw.get("/tools").get(0).get("id").asText();
    gw.post("/servers", "{\"name\":\"curated\",\"gateways\":[\"" + id + "\"],\"tools\":[\"" + toolId + "\"]}");
  }

  /** What must survive a restart: everything but live health and the time of the last (re)discovery. */
  private static ObjectNode registry(TestGateway gw) throws Exception {
    ObjectNode out = TestGateway.JSON.createObjectNode();
    ArrayNode gateways = (ArrayNode) gw.get("/gateways").deepCopy();
    gateways.forEach(g -> {
      ((ObjectNode) g).remove("status");
      ((ObjectNode) g).remove("health");
      ((ObjectNode) g).remove("refreshedAt");
    });
    out.set("gateways", gateways);
    for (String p : new String[] {"/tools", "/prompts", "/resources", "/resources/templates", "/servers"}) {
      out.set(p, gw.get(p));
    }
    return out;
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void aRestartOnTheSameDatabaseKeepsEverythingRegistered(TestDatabases.Kind kind, TestDatabases dbs) throws Exception {
    GatewaySettings settings = TestGateway.settings(tmp, dbs.create(kind, tmp), Map.of());
    ObjectNode before;
    try (TestGateway gw = TestGateway.start(settings, pool())) {
      fill(gw);
      before = registry(gw);
    }
    assertThat(before.get("gateways")).hasSize(1);
    assertThat(before.get("/tools")).hasSize(2);
    assertThat(before.get("/servers")).hasSize(1);

    try (TestGateway gw = TestGateway.start(settings, pool())) {
      assertThat(registry(gw)).isEqualTo(before);
      assertThat(gw.get("/gateways").get(0).get("headers").get("X-Api-Key").asText()).isEqualTo("****");
    }
  }

  @Test
  void badInputGetsItsAnswerAndChangesNothing() throws Exception {
    GatewaySettings settings = TestGateway.settings(tmp, new GatewaySettings.Database(
        "jdbc:sqlite:" + tmp.resolve("m.db"), null, null, 2), Map.of("MCPGW_MAX_BODY_BYTES", "2048"));
    try (TestGateway gw = TestGateway.start(settings, pool())) {
      fill(gw);
      ObjectNode before = registry(gw);
      String admin = gw.adminToken();
      String unknownTool = "00000000-0000-0000-0000-000000000000";

      record Case(String method, String path, String body, int status, String field) {}
      Stream.of(
          new Case("POST", "/gateways", "{\"transport\":\"sse\",\"url\":\"http://x/sse\"}", 400, "name"),
          new Case("POST", "/gateways", "{\"name\":\"bad name!\",\"transport\":\"sse\",\"url\":\"http://x\"}", 400, "name"),
          new Case("POST", "/gateways", "{\"name\":\"n\",\"transport\":\"websocket\",\"url\":\"http://x\"}", 400, "transport"),
          new Case("POST", "/gateways", "{\"name\":\"n\",\"transport\":\"sse\"}", 400, "url"),
          new Case("POST", "/gateways", "{\"name\":\"n\",\"transport\":\"sse\",\"url\":\"ftp://x\"}", 400, "url"),
          new Case("POST", "/gateways", "{\"name\":\"n\",\"transport\":\"stdio\"}", 400, "command"),
          new Case("POST", "/gateways", "{\"name\":\"n\",\"transport\":\"stdio\",\"command\":\"x\",\"args\":\"a\"}", 400, "args"),
          new Case("POST", "/gateways", "{\"name\":\"n\",\"transport\":\"sse\",\"url\":\"http://x\",\"headers\":{\"a\":1}}", 400, "headers.a"),
          new Case("POST", "/gateways", "{\"name\":\"n\",\"transport\":\"sse\",\"url\":\"http://x\",\"header\":{}}", 400, "header"),
          new Case("POST", "/gateways", "{\"name\":\"everything\",\"transport\":\"sse\",\"url\":\"http://x\"}", 409, "name"),
          new Case("POST", "/gateways", "{\"name\":\"down\",\"transport\":\"sse\",\"url\":\"http://127.0.0.1:9/sse\"}", 502, "url"),
          new Case("POST", "/gateways", "{not json", 400, "body"),
          new Case("POST", "/gateways", "[1,2]", 400, "body"),
          new Case("POST", "/gateways", "", 400, "body"),
          new Case("POST", "/prompts", "{\"name\":\"p\"}", 400, "template"),
          new Case("POST", "/prompts", "{\"name\":\"p\",\"template\":\"{% if %}\"}", 400, "template"),
          new Case("POST", "/prompts", "{\"name\":\"p\",\"template\":\"x\",\"arguments\":[{\"required\":true}]}", 400, "arguments[0].name"),
          new Case("POST", "/prompts", "{\"name\":\"greet\",\"template\":\"x\"}", 409, "name"),
          new Case("POST", "/resources", "{\"content\":\"x\"}", 400, "uri"),
          new Case("POST", "/resources", "{\"uri\":\"relative/path\",\"content\":\"x\"}", 400, "uri"),
          new Case("POST", "/resources", "{\"uri\":\"docs://other\"}", 400, "content"),
          new Case("POST", "/servers", "{\"name\":\"s\",\"tools\":[\"" + unknownTool + "\"]}", 400, "tools[0]"),
          new Case("POST", "/servers", "{\"name\":\"s\",\"gateways\":\"all\"}", 400, "gateways"),
          new Case("POST", "/servers", "{\"name\":\"curated\"}", 409, "name"),
          new Case("GET", "/gateways/nope", null, 404, null),
          new Case("DELETE", "/servers/nope", null, 404, null),
          new Case("DELETE", "/prompts/nope", null, 404, null),
          new Case("PUT", "/gateways", "{}", 405, null),
          new Case("GET", "/no/such/endpoint", null, 404, null)
      ).forEach(c -> {
        try {
          HttpResponse<String> r = gw.send(c.method(), c.path(), admin, c.body());
          assertThat(r.statusCode()).as(c.toString() + " -> " + r.body()).isEqualTo(c.status());
          JsonNode error = TestGateway.JSON.readTree(r.body());
          assertThat(error.path("error").asText()).as(c.toString()).isNotBlank();
          if (c.field() != null) {
            assertThat(error.path("field").asText()).as(c.toString() + " -> " + r.body()).isEqualTo(c.field());
          }
          assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
        } catch (Exception e) {
          throw new AssertionError(c.toString(), e);
        }
      });

      // unauthenticated, wrong credentials, non-admin writes
      HttpResponse<String> anonymous = gw.send("GET", "/gateways", null, null);
      assertThat(anonymous.statusCode()).isEqualTo(401);
      assertThat(anonymous.headers().firstValue("WWW-Authenticate")).isPresent();
      assertThat(TestGateway.JSON.readTree(anonymous.body()).path("error").asText()).contains("Bearer");
      assertThat(gw.send("POST", "/gateways", "garbage.token.here", "{}").statusCode()).isEqualTo(401);
      assertThat(gw.send("POST", "/prompts", gw.userToken(), "{\"name\":\"x\",\"template\":\"y\"}").statusCode()).isEqualTo(403);
      String serverId = gw.get("/servers").get(0).get("id").asText();
      assertThat(gw.send("DELETE", "/servers/" + serverId, gw.userToken(), null).statusCode()).isEqualTo(403);
      assertThat(gw.send("GET", "/tools", gw.userToken(), null).statusCode()).isEqualTo(200);

      // oversize bodies: declared, and chunked without a length
      String big = "{\"name\":\"big\",\"template\":\"" + "x".repeat(4096) + "\"}";
      HttpResponse<String> declared = gw.send("POST", "/prompts", admin, big);
      assertThat(declared.statusCode()).isEqualTo(413);
      assertThat(TestGateway.JSON.readTree(declared.body()).path("field").asText()).isEqualTo("body");
      HttpResponse<String> chunked = gw.send(HttpRequest.newBuilder(URI.create(gw.base + "/prompts"))
          .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofInputStream(
              () -> new java.io.ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8)))).build());
      assertThat(chunked.statusCode()).isEqualTo(413);

      assertThat(registry(gw)).isEqualTo(before);
    }
  }

  @Test
  void probesAnswerWithoutAuthAndEveryResponseCarriesARequestId() throws Exception {
    GatewaySettings settings = TestGateway.settings(tmp, new GatewaySettings.Database(
        "jdbc:sqlite:" + tmp.resolve("p.db"), null, null, 2), Map.of());
    try (TestGateway gw = TestGateway.start(settings, pool())) {
      HttpResponse<String> health = gw.send("GET", "/health", null, null);
      HttpResponse<String> ready = gw.send("GET", "/ready", null, null);
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(ready.body()).contains("\"database\":\"up\"");
      assertThat(health.headers().firstValue("X-Request-ID")).isPresent();
      assertThat(gw.send("GET", "/gateways", null, null).headers().firstValue("X-Request-ID")).isPresent();

      HttpResponse<String> echoed = gw.send(HttpRequest.newBuilder(URI.create(gw.base + "/tools"))
          .header("X-Request-ID", "req-42").header("Authorization", "Basic "
              + Base64.getEncoder().encodeToString("admin:admin-pw".getBytes(StandardCharsets.UTF_8))).build());
      assertThat(echoed.statusCode()).isEqualTo(200);
      assertThat(echoed.headers().firstValue("X-Request-ID")).contains("req-42");
      HttpResponse<String> forged = gw.send(HttpRequest.newBuilder(URI.create(gw.base + "/health"))
          .header("X-Request-ID", "bad id with spaces").build());
      assertThat(forged.headers().firstValue("X-Request-ID")).isPresent().get().asString().doesNotContain(" ");
    }
  }

  @Test
  void withAuthOffEveryoneIsTheAnonymousAdmin() throws Exception {
    GatewaySettings settings = TestGateway.settings(tmp, new GatewaySettings.Database(
        "jdbc:sqlite:" + tmp.resolve("a.db"), null, null, 2), Map.of("MCPGW_AUTH_REQUIRED", "false"));
    try (TestGateway gw = TestGateway.start(settings, pool())) {
      assertThat(gw.send("GET", "/gateways", null, null).statusCode()).isEqualTo(200);
      assertThat(gw.send("POST", "/resources", null, "{\"uri\":\"docs://a\",\"content\":\"a\"}").statusCode()).isEqualTo(201);
    }
  }
}
