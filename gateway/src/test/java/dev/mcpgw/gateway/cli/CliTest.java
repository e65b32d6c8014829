package dev.mcpgw.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The two commands as a user runs them: separate processes sharing only the environment and the data directory. */
class CliTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path tmp;

  private Map<String, String> env() {
    return Map.of("MCPGW_DATA_DIR", tmp.resolve("data").toString());
  }

  private static HttpResponse<String> get(String url, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void serveAnswersTheProbesAndAcceptsATokenFromTheTokenCommand() throws Exception {
    try (CliProcess serve = CliProcess.start(tmp, env(), "serve", "--port", "0")) {
      String base = serve.awaitBaseUrl();
      assertThat(get(base + "/health", null).statusCode()).isEqualTo(200);
      assertThat(get(base + "/ready", null).statusCode()).isEqualTo(200);

      CliProcess token = CliProcess.start(tmp, env(), "token", "--user", "alice", "--tenant", "acme", "--admin",
          "--expires", "10m");
      assertThat(token.exitCode()).as(token.stderr()).isZero();
      String jwt = token.stdout().strip();

      assertThat(jwt.split("\\.")).hasSize(3);
      assertThat(get(base + "/gateways", jwt).statusCode()).isEqualTo(200);
      assertThat(get(base + "/gateways", jwt + "x").statusCode()).isEqualTo(401);
      assertThat(get(base + "/gateways", null).statusCode()).isEqualTo(401);
      assertThat(Files.getPosixFilePermissions(tmp.resolve("data/jwt.secret")))
          .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
              java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    }
  }

  @Test
  void serveDemoWorksThroughMcpAndRestartsWithOneDemoUpstream() throws Exception {
    for (int run = 1; run <= 2; run++) {
      try (CliProcess serve = CliProcess.start(tmp, env(), "serve", "--demo", "--port", "0")) {
        String base = serve.awaitBaseUrl();
        await().atMost(Duration.ofSeconds(30)).until(() -> serve.stdout().contains("tools/call"));
        String token = serve.out.stream().filter(l -> l.contains("export MCPGW_TOKEN=")).findFirst().orElseThrow()
            .replaceAll(".*export MCPGW_TOKEN=", "").strip();

        assertThat(get(base + "/health", null).statusCode()).isEqualTo(200);
        assertThat(get(base + "/ready", null).statusCode()).isEqualTo(200);
        HttpResponse<String> gateways = get(base + "/gateways", token);
        assertThat(gateways.statusCode()).isEqualTo(200);
        assertThat(gateways.body().split("\"name\":\"demo\"", -1)).as("one demo upstream, run " + run).hasSize(2);
        assertThat(gateways.body()).contains("\"status\":\"healthy\"");
        assertThat(serve.stdout()).contains("curl").contains(base + "/mcp").contains("demo-echo");
        // the console's address is printed, and the printed token opens it
        assertThat(serve.stdout()).contains("Console: " + base + "/console/");
        assertThat(get(base + "/console/", token).statusCode()).isEqualTo(200);
        if (run == 1) {
          com.fasterxml.jackson.databind.JsonNode result = dev.mcpgw.gateway.NodePeers.runClient(base + "/mcp", token,
              "demo-echo", "{\"message\":\"hello\"}", tmp);
          assertThat(result.get("tools")).extracting(com.fasterxml.jackson.databind.JsonNode::asText)
              .containsExactlyInAnyOrder("demo-echo", "demo-add", "demo-get_time");
          assertThat(result.at("/call/content/0/text").asText()).isEqualTo("Echo: hello");
        }
      }
    }
  }

  @Test
  void anInvalidSettingStopsServeWithAMessageNamingTheKey() throws Exception {
    CliProcess serve = CliProcess.start(tmp, Map.of("MCPGW_DATA_DIR", tmp.toString(), "MCPGW_AUTH_REQUIRED", "sometimes"),
        "serve", "--port", "0");

    assertThat(serve.exitCode()).isEqualTo(2);
    assertThat(serve.stderr()).contains("MCPGW_AUTH_REQUIRED").contains("true or false").doesNotContain("\tat ");
  }

  @Test
  void anInvalidObservabilitySettingStopsServeWithAMessageNamingTheKey() throws Exception {
    CliProcess serve = CliProcess.start(tmp, Map.of("MCPGW_DATA_DIR", tmp.toString(), "OTEL_TRACES_SAMPLER", "sometimes"),
        "serve", "--port", "0");

    assertThat(serve.exitCode()).isEqualTo(2);
    assertThat(serve.stderr()).contains("OTEL_TRACES_SAMPLER").contains("traceidratio").doesNotContain("\tat ");
  }

  @Test
  void serveBuildsTheObservabilityPipelineAndSaysHowToTurnExportOn() throws Exception {
    try (CliProcess serve = CliProcess.start(tmp, env(), "serve", "--port", "0")) {
      String base = serve.awaitBaseUrl();
      assertThat(get(base + "/health", null).statusCode()).isEqualTo(200);
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(serve.stderr()).contains("no span exporter is configured"));
    }
  }

  @Test
  void anUnreachableDatabaseStopsServeNamingTheDatabaseUrl() throws Exception {
    CliProcess serve = CliProcess.start(tmp, Map.of("MCPGW_DATA_DIR", tmp.toString(),
        "MCPGW_DATABASE_URL", "jdbc:postgresql://127.0.0.1:1/none"), "serve", "--port", "0");

    assertThat(serve.exitCode()).isEqualTo(2);
    assertThat(serve.stderr()).contains("MCPGW_DATABASE_URL");
  }

  private static int runInProcess(java.io.StringWriter err, String... args) {
    return Main.run(new java.io.PrintWriter(new java.io.StringWriter(), true), new java.io.PrintWriter(err, true), args);
  }

  @Test
  void tokenWithoutItsRequiredOptionsNamesThem() {
    java.io.StringWriter err = new java.io.StringWriter();

    assertThat(runInProcess(err, "token", "--user", "alice")).isEqualTo(2);
    assertThat(err.toString()).contains("--tenant");
  }

  @Test
  void tokenWithABadLifetimeSaysWhatIsAllowed() {
    java.io.StringWriter err = new java.io.StringWriter();

    assertThat(runInProcess(err, "token", "--user", "a", "--tenant", "t", "--expires", "forever")).isEqualTo(2);
    assertThat(err.toString()).contains("--expires").contains("30s");
  }

  @Test
  void tokenLongerThanTheMaximumLifetimeNamesTheSetting() {
    java.io.StringWriter err = new java.io.StringWriter();

    assertThat(runInProcess(err, "token", "--user", "a", "--tenant", "t", "--expires", "400d")).isEqualTo(2);
    assertThat(err.toString()).contains("MCPGW_JWT_MAX_LIFETIME").contains("--expires");
  }

  @Test
  void noCommandSaysWhichToRun() {
    java.io.StringWriter err = new java.io.StringWriter();

    assertThat(runInProcess(err)).isEqualTo(2);
    assertThat(err.toString()).contains("mcpgw serve --demo");
  }

  @Test
  void aBusyPortStopsServeWithTheFix() throws Exception {
    try (java.net.ServerSocket busy = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      CliProcess serve = CliProcess.start(tmp, env(), "serve", "--port", Integer.toString(busy.getLocalPort()));

      assertThat(serve.exitCode()).isNotZero();
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(serve.stderr()).contains("--port"));
    }
  }
}
