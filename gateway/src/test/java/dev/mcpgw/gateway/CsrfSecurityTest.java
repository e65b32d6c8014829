package dev.mcpgw.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgw.gateway.config.GatewaySettings;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, "High: cross-site request forgery": with {@code MCPGW_AUTH_REQUIRED=false} a web page's simple
 * {@code text/plain} POST registered a stdio upstream, and the gateway ran its command. The admin API's writes now
 * need {@code Content-Type: application/json} when they have a body and, when they carry {@code Origin}, an allowed
 * one. A non-browser client (no {@code Origin}) sending JSON works as before.
 */
class CsrfSecurityTest {
  @TempDir Path tmp;
  private TestGateway gw;
  private Path marker;
  private String attack;

  @BeforeEach
  void start() throws Exception {
    gw = TestGateway.startProduction(TestGateway.settings(tmp,
        new GatewaySettings.Database("jdbc:sqlite:" + tmp.resolve("reg.db"), null, null, 4),
        Map.of("MCPGW_AUTH_REQUIRED", "false")));
    marker = tmp.resolve("pwned");
    attack = TestGateway.JSON.writeValueAsString(Map.of("name", "pwn", "transport", "stdio", "command", "/bin/sh",
        "args", List.of("-c", "touch " + marker)));
  }

  @AfterEach
  void stop() {
    gw.close();
  }

  private HttpResponse<String> post(String path, String contentType, String origin, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.base + path)).timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    if (origin != null) {
      b.header("Origin", origin);
    }
    return gw.send(b.build());
  }

  private JsonNode registered() throws Exception {
    return TestGateway.JSON.readTree(gw.send("GET", "/gateways", null, null).body());
  }

  @Test
  void aTextPlainPostFromAForeignPageRegistersNothing() throws Exception {
    HttpResponse<String> r = post("/gateways", "text/plain", "https://evil.example", attack);

    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(TestGateway.JSON.readTree(r.body()).get("field").asText()).isEqualTo("Origin");
    assertThat(registered()).isEmpty();
    assertThat(marker).doesNotExist();
  }

  @Test
  void aTextPlainPostWithoutOriginIsRefusedAsUnsupportedMediaType() throws Exception {
    HttpResponse<String> r = post("/gateways", "text/plain", null, attack);

    assertThat(r.statusCode()).isEqualTo(415);
    assertThat(TestGateway.JSON.readTree(r.body()).get("field").asText()).isEqualTo("Content-Type");
    assertThat(registered()).isEmpty();
  }

  @Test
  void aFormEncodedPostRegistersNothingEitherWithOrWithoutOrigin() throws Exception {
    String form = "name=pwn&transport=stdio&command=%2Fbin%2Fsh";

    assertThat(post("/gateways", "application/x-www-form-urlencoded", "https://evil.example", form).statusCode())
        .isEqualTo(403);
    assertThat(post("/gateways", "application/x-www-form-urlencoded", "http://localhost", form).statusCode())
        .isEqualTo(415);
    assertThat(post("/gateways", "multipart/form-data; boundary=x", null, "--x--").statusCode()).isEqualTo(415);
    assertThat(registered()).isEmpty();
  }

  @Test
  void jsonFromAForeignOriginIsRefusedToo() throws Exception {
    assertThat(post("/gateways", "application/json", "https://evil.example", attack).statusCode()).isEqualTo(403);
    assertThat(registered()).isEmpty();
    assertThat(marker).doesNotExist();
  }

  @Test
  void aDeleteFromAForeignOriginIsRefused() throws Exception {
    String id = gw.post("/prompts", "{\"name\":\"greet\",\"template\":\"Hello\"}").get("id").asText();

    HttpResponse<String> r = gw.send(HttpRequest.newBuilder(URI.create(gw.base + "/prompts/" + id))
        .header("Origin", "https://evil.example").DELETE().build());

    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(TestGateway.JSON.readTree(gw.send("GET", "/prompts", null, null).body())).hasSize(1);
  }

  @Test
  void aJsonPostWithoutOriginStillWorksAsCurlSendsIt() throws Exception {
    HttpResponse<String> prompt = post("/prompts", "application/json", null, "{\"name\":\"a\",\"template\":\"x\"}");
    // reaches the handler, which tries the upstream (nothing listens on port 9): past every web check
    HttpResponse<String> gateway = post("/gateways", "application/json", null,
        "{\"name\":\"remote\",\"transport\":\"streamablehttp\",\"url\":\"http://127.0.0.1:9/mcp\"}");

    assertThat(prompt.statusCode()).as(prompt.body()).isEqualTo(201);
    assertThat(gateway.body()).contains("unreachable");
  }

  @Test
  void aJsonPostFromALoopbackPageOrAConfiguredOriginWorks() throws Exception {
    assertThat(post("/prompts", "application/json; charset=utf-8", "http://localhost:3000",
        "{\"name\":\"a\",\"template\":\"x\"}").statusCode()).isEqualTo(201);
  }

  @Test
  void readsAreNotChecked() throws Exception {
    HttpResponse<String> r = gw.send(HttpRequest.newBuilder(URI.create(gw.base + "/gateways"))
        .header("Origin", "https://evil.example").GET().build());

    assertThat(r.statusCode()).isEqualTo(200);
  }
}
