package dev.mcpgw.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.NodePeers;
import dev.mcpgw.gateway.auth.Caller;
import dev.mcpgw.gateway.auth.TokenService;
import dev.mcpgw.gateway.cli.CliProcess;
import dev.mcpgw.gateway.jsonrpc.MessageJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The escalation chain of issue 17: a stdio upstream used to inherit the gateway's whole environment, so any user
 * could call server-everything's {@code get-env} and read the JWT signing secret (then forge an admin token and run a
 * command on the host). The gateway runs as its own process here, with its secrets in its environment.
 */
class StdioEnvironmentSecurityTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final String JWT_SECRET = "jwt-secret-0123456789-abcdefghijklmnopqrstuvwxyz";
  private static final Map<String, String> SECRETS = Map.of(
      "MCPGW_JWT_SECRET", JWT_SECRET,
      "MCPGW_ADMIN_PASSWORD", "admin-password-4711",
      "MCPGW_DATABASE_PASSWORD", "database-password-0815",
      "PGPASSWORD", "pg-password-1234",
      "OTEL_EXPORTER_OTLP_HEADERS", "authorization=Bearer otlp-token-9999",
      "GITHUB_TOKEN", "ghp_github-token-5555");

  @TempDir Path tmp;

  @Test
  void aNonAdminCallingGetEnvOfAStdioUpstreamSeesNoneOfTheGatewaysSecretsButTheUpstreamsOwnEnv() throws Exception {
    Map<String, String> env = new java.util.HashMap<>(SECRETS);
    env.put("MCPGW_DATA_DIR", tmp.resolve("data").toString());
    env.put("MCPGW_STDIO_ENV_ALLOW", "TEAM_SHARED_*");
    env.put("TEAM_SHARED_REGION", "eu-west-lane");
    env.put("UNLISTED_SETTING", "unlisted-value-777");
    TokenService tokens = TokenService.create(JWT_SECRET.getBytes(StandardCharsets.UTF_8));
    String admin = tokens.issue(new Caller("ada", "ops", Caller.Role.PLATFORM_ADMIN), Duration.ofMinutes(10));
    String user = tokens.issue(new Caller("mallory", "acme", Caller.Role.USER), Duration.ofMinutes(10));

    try (CliProcess gateway = CliProcess.start(tmp, env, "serve", "--port", "0")) {
      String base = gateway.awaitBaseUrl();
      List<String> command = NodePeers.everythingStdio();
      ObjectNode registration = MessageJson.MAPPER.createObjectNode().put("name", "everything")
          .put("transport", "stdio").put("command", command.get(0)).put("tenant", "acme");
      command.subList(1, command.size()).forEach(registration.putArray("args")::add);
      registration.putObject("env").put("UPSTREAM_OWN_SETTING", "own-value-42");
      HttpResponse<String> registered = post(base + "/gateways", admin, null, registration.toString());
      assertThat(registered.statusCode()).as(registered.body()).isIn(200, 201);

      String session = post(base + "/mcp", user, null, "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\","
          + "\"params\":{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},"
          + "\"clientInfo\":{\"name\":\"mallory\",\"version\":\"1\"}}}")
          .headers().firstValue("Mcp-Session-Id").orElseThrow();
      post(base + "/mcp", user, session, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
      HttpResponse<String> call = post(base + "/mcp", user, session, "{\"jsonrpc\":\"2.0\",\"id\":1,"
          + "\"method\":\"tools/call\",\"params\":{\"name\":\"everything-get-env\",\"arguments\":{}}}");

      JsonNode answer = MessageJson.MAPPER.readTree(call.body());
      String text = answer.at("/result/content/0/text").asText();
      assertThat(text).as(call.body()).contains("UPSTREAM_OWN_SETTING").contains("own-value-42")
          .contains("TEAM_SHARED_REGION").contains("eu-west-lane").contains("PATH");
      SECRETS.forEach((name, value) -> assertThat(text).doesNotContain(name).doesNotContain(value));
      assertThat(text).doesNotContain("MCPGW_").doesNotContain("OTEL_").doesNotContain("UNLISTED_SETTING");
    }
  }

  private static HttpResponse<String> post(String url, String token, String session, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .header("Accept", "application/json, text/event-stream").POST(HttpRequest.BodyPublishers.ofString(body));
    if (session != null) {
      b.header("Mcp-Session-Id", session);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
