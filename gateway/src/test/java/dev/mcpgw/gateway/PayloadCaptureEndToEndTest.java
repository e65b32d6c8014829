package dev.mcpgw.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgw.gateway.config.GatewaySettings;
import dev.mcpgw.observability.Observability;
import dev.mcpgw.observability.config.ObservabilityConfigLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first defect, tried as a new user would: with {@code OTEL_CAPTURE_PAYLOADS=true} and
 * {@code OTEL_SANITIZE_PII=true}, a real TypeScript client's {@code tools/call} of {@code everything-echo} through the
 * gateway reaches a real Zipkin with its arguments and result on the MCP SERVER span, masked; without the setting the
 * same call carries none. Either way the span carries the call's token counts, with the configured encoding.
 */
class PayloadCaptureEndToEndTest {
  private static final String SECRETS = "mail ann@example.com ssn 123-45-6789 password=hunter2 "
      + "key sk-abcdefghijklmnopqrstuvwx auth Bearer abc.def.ghi";
  @TempDir static Path tmp;
  @RegisterExtension static final TracedPeers PEERS = new TracedPeers();

  @Test
  void withCaptureOnZipkinShowsTheMaskedArgumentsAndResultOfAToolCall() throws Exception {
    JsonNode server = callEcho("payloads-on", Map.of("OTEL_CAPTURE_PAYLOADS", "true", "OTEL_SANITIZE_PII", "true"),
        Map.of("MCPGW_TOKEN_ENCODING", "cl100k_base"));
    JsonNode tags = server.get("tags");
    // token counts with the configured encoding, whether payloads are captured or not
    assertThat(tags.path("mcpgw.tool.tokens.encoding").asText()).isEqualTo("cl100k_base");
    assertThat(tags.path("mcpgw.tool.arguments.tokens").asLong()).isPositive();
    assertThat(tags.path("mcpgw.tool.result.tokens").asLong()).isPositive();
    String arguments = tags.path("gen_ai.tool.call.arguments").asText();
    String result = tags.path("gen_ai.tool.call.result").asText();
    assertThat(arguments).contains("[EMAIL]", "[SSN]", "[REDACTED]", "[API_KEY]", "Bearer [TOKEN]");
    assertThat(result).contains("Echo: mail [EMAIL]");
    assertThat(tags.path("input.value").asText()).isEqualTo(arguments);
    assertThat(tags.path("output.value").asText()).isEqualTo(result);
    for (String secret : List.of("ann@example.com", "123-45-6789", "hunter2", "sk-abcdefghijklmnopqrstuvwx",
        "abc.def.ghi")) {
      assertThat(server.toString()).as("a sensitive value on the span").doesNotContain(secret);
    }
  }

  @Test
  void byDefaultTheSameCallCarriesNoPayload() throws Exception {
    JsonNode server = callEcho("payloads-off", Map.of(), Map.of());
    assertThat(server.get("tags").path("mcpgw.tool.tokens.encoding").asText()).isEqualTo("o200k_base");
    assertThat(server.get("tags").path("mcpgw.tool.result.tokens").asLong()).isPositive();
    assertThat(server.get("tags").has("gen_ai.tool.call.arguments")).isFalse();
    assertThat(server.get("tags").has("gen_ai.tool.call.result")).isFalse();
    assertThat(server.toString()).doesNotContain("hunter2").doesNotContain("Echo:");
  }

  /** Calls {@code everything-echo} with the secrets through a gateway exporting to Zipkin as {@code service}. */
  private static JsonNode callEcho(String service, Map<String, String> otel, Map<String, String> gateway)
      throws Exception {
    Map<String, String> env = new java.util.HashMap<>(Map.of("OTEL_SERVICE_NAME", service,
        "OTEL_TRACES_EXPORTER", "zipkin", "OTEL_EXPORTER_ZIPKIN_ENDPOINT", PEERS.zipkin().spansEndpoint(),
        "OTEL_METRICS_EXPORTER", "none", "OTEL_LOGS_EXPORTER", "none", "OTEL_BSP_SCHEDULE_DELAY", "100",
        "OTEL_TRACES_SAMPLER", "always_on"));
    env.putAll(otel);
    Path dir = tmp.resolve(service);
    java.nio.file.Files.createDirectories(dir);
    GatewaySettings settings = TestGateway.settings(dir,
        new GatewaySettings.Database("jdbc:sqlite:" + dir.resolve("reg.db"), null, null, 4), gateway);
    try (TestGateway gw = TestGateway.start(settings, GatewayApplication.Parts.production()
        .withObservability(s -> Observability.builder(ObservabilityConfigLoader.load(env, null)).build()))) {
      gw.post("/gateways", "{\"name\":\"everything\",\"transport\":\"streamablehttp\",\"url\":\""
          + PEERS.everything().url() + "\"}");
      JsonNode out = NodePeers.runClient(gw.base + "/mcp", gw.userToken(), "everything-echo",
          TestGateway.JSON.createObjectNode().put("message", SECRETS).toString(), dir);
      // the client gets the real answer: masking is for telemetry only
      assertThat(out.at("/call/content/0/text").asText()).isEqualTo("Echo: " + SECRETS);
      JsonNode[] found = new JsonNode[1];
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() -> {
        Optional<JsonNode> span = PEERS.zipkin().spans(service).stream()
            .filter(s -> "SERVER".equals(s.path("kind").asText())
                && "tools/call everything-echo".equals(s.path("name").asText()))
            .findFirst();
        span.ifPresent(s -> found[0] = s);
        return span.isPresent();
      });
      return found[0];
    }
  }
}
