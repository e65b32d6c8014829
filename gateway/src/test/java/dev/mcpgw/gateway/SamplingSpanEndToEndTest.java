package dev.mcpgw.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgw.gateway.config.GatewaySettings;
import dev.mcpgw.observability.Observability;
import dev.mcpgw.observability.config.ObservabilityConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11's relayed model call, as a user would meet it: server-everything REGISTERED through {@code POST /gateways}
 * (its sampling tool is offered only to a session that declared sampling, which the gateway's registry session does),
 * a real TypeScript SDK client that declares sampling calls {@code everything-trigger-sampling-request}, answers the
 * relayed {@code sampling/createMessage} with a model of its own, and a real Zipkin shows the GenAI CLIENT span of
 * that model call, with the model and token counts, in the trace of the {@code tools/call}, its payloads masked. A
 * client that did not declare sampling gets a clear error from the same tool, not a hang.
 */
class SamplingSpanEndToEndTest {
  private static final String SERVICE = "sampling-e2e";
  private static final String MODEL = "e2e-sampling-model";
  private static final String ANSWER = "the vault opens with password=hunter2, keep it to yourself";
  private static final String TOOL = "everything-trigger-sampling-request";
  @TempDir static Path tmp;
  @RegisterExtension static final TracedPeers PEERS = new TracedPeers();
  static TestGateway gateway;

  @BeforeAll
  static void startAGatewayWithServerEverythingRegistered() throws Exception {
    Map<String, String> otel = Map.of("OTEL_SERVICE_NAME", SERVICE, "OTEL_TRACES_EXPORTER", "zipkin",
        "OTEL_EXPORTER_ZIPKIN_ENDPOINT", PEERS.zipkin().spansEndpoint(), "OTEL_METRICS_EXPORTER", "none",
        "OTEL_LOGS_EXPORTER", "none", "OTEL_BSP_SCHEDULE_DELAY", "100", "OTEL_TRACES_SAMPLER", "always_on",
        "OTEL_CAPTURE_PAYLOADS", "true");
    Path dir = Files.createDirectories(tmp.resolve("gateway"));
    GatewaySettings settings = TestGateway.settings(dir,
        new GatewaySettings.Database("jdbc:sqlite:" + dir.resolve("reg.db"), null, null, 4), Map.of());
    gateway = TestGateway.start(settings, GatewayApplication.Parts.production()
        .withObservability(s -> Observability.builder(ObservabilityConfigLoader.load(otel, null)).build()));
    gateway.post("/gateways", "{\"name\":\"everything\",\"transport\":\"streamablehttp\",\"url\":\""
        + PEERS.everything().url() + "\"}");
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  @Test
  void theRegisteredUpstreamsCapabilityGatedToolsAreInTheCatalog() throws Exception {
    JsonNode out = samplingClient("everything-echo", "{\"message\":\"hi\"}");
    List<String> tools = names(out.get("tools"));
    assertThat(tools).contains(TOOL, "everything-trigger-elicitation-request", "everything-get-roots-list");
  }

  @Test
  void aRelayedSamplingRequestIsAChatSpanWithTheModelAndTokenCountsInTheTraceOfTheToolCall() throws Exception {
    JsonNode out = samplingClient(TOOL, "{\"prompt\":\"what opens the vault?\",\"maxTokens\":50}");
    assertThat(out.get("sampled").asInt()).isEqualTo(1);
    assertThat(out.at("/call/isError").asBoolean(false)).isFalse();
    // the client gets the real answer: masking is for telemetry only
    assertThat(out.at("/call/content/0/text").asText()).contains(MODEL).contains("password=hunter2");

    JsonNode[] found = new JsonNode[2];
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() -> {
      List<JsonNode> spans = PEERS.zipkin().spans(SERVICE);
      Optional<JsonNode> chat = spans.stream().filter(s -> "CLIENT".equals(s.path("kind").asText())
          && "chat".equals(s.path("tags").path("gen_ai.operation.name").asText())
          && MODEL.equals(s.path("tags").path("gen_ai.response.model").asText())).findFirst();
      // the other test calls the same tool too: the call that matters is the one in the chat span's trace
      Optional<JsonNode> call = chat.flatMap(c -> spans.stream().filter(s -> "SERVER".equals(s.path("kind").asText())
          && ("tools/call " + TOOL).equals(s.path("name").asText())
          && s.path("traceId").asText().equals(c.path("traceId").asText())).findFirst());
      chat.ifPresent(s -> found[1] = s);
      call.ifPresent(s -> found[0] = s);
      return call.isPresent();
    });
    JsonNode call = found[0];
    JsonNode chat = found[1];
    assertThat(chat.path("traceId").asText()).as("the chat span is in the tool call's trace")
        .isEqualTo(call.path("traceId").asText());
    // server-everything sends no model hint, so by the GenAI convention the span is named after the operation alone
    assertThat(chat.path("name").asText()).isEqualTo("chat");
    JsonNode tags = chat.get("tags");
    assertThat(tags.path("mcp.method.name").asText()).isEqualTo("sampling/createMessage");
    assertThat(tags.path("gen_ai.request.max_tokens").asLong()).isEqualTo(50);
    assertThat(tags.path("gen_ai.usage.input_tokens").asLong()).isPositive();
    assertThat(tags.path("gen_ai.usage.output_tokens").asLong()).isPositive();
    assertThat(tags.path("mcpgw.usage.estimated").asText()).isEqualTo("true");
    assertThat(tags.path("input.value").asText()).contains("what opens the vault?");
    assertThat(tags.path("output.value").asText()).contains(MODEL).contains("[REDACTED]");
    List<JsonNode> trace = PEERS.zipkin().spans(SERVICE).stream()
        .filter(s -> s.path("traceId").asText().equals(call.path("traceId").asText())).toList();
    assertThat(trace.toString()).as("the sampled answer's password anywhere in the trace").doesNotContain("hunter2");
    // under the call's gateway.forward span, beside the CLIENT tools/call it happened during
    assertThat(trace.stream().filter(s -> "gateway.forward".equals(s.path("name").asText()))
        .map(s -> s.path("id").asText())).contains(chat.path("parentId").asText());
  }

  @Test
  void aClientThatDidNotDeclareSamplingGetsAClearErrorFromTheSamplingTool() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("plain-client"));
    JsonNode out = NodePeers.runClient(gateway.base + "/mcp", gateway.userToken(), TOOL,
        "{\"prompt\":\"hello\",\"maxTokens\":10}", dir);
    assertThat(names(out.get("tools"))).contains(TOOL);
    assertThat(out.at("/call/isError").asBoolean()).isTrue();
    assertThat(out.at("/call/content/0/text").asText()).contains("-32601")
        .contains("the client did not declare the sampling capability");
  }

  private static JsonNode samplingClient(String tool, String args) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("client-" + System.nanoTime()));
    return NodePeers.runScript("client.mjs", Map.of("URL", gateway.base + "/mcp", "TOKEN",
        gateway.userToken(), "TOOL", tool, "ARGS", args, "MODEL", MODEL, "ANSWER", ANSWER), dir,
        Duration.ofSeconds(90));
  }

  private static List<String> names(JsonNode tools) {
    return java.util.stream.StreamSupport.stream(tools.spliterator(), false).map(JsonNode::asText).toList();
  }
}
