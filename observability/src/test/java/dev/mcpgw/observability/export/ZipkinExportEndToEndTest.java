package dev.mcpgw.observability.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgw.observability.Observability;
import dev.mcpgw.observability.testing.ZipkinServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Zipkin export end to end: the real Zipkin server gets the spans and its query API returns them. */
class ZipkinExportEndToEndTest {

  private static ZipkinServer zipkin;

  @TempDir
  Path bufferDir;

  @BeforeAll
  static void startZipkin() {
    zipkin = ZipkinServer.start();
  }

  @AfterAll
  static void stopZipkin() {
    zipkin.close();
  }

  @Test
  void zipkinsQueryApiReturnsTheSpansWithNamesParentsKindsAndTags() {
    SampleTrace trace;
    try (Observability obs = SampleTrace.start(SampleTrace.env("zipkin-e2e",
        "OTEL_TRACES_EXPORTER", "zipkin",
        "OTEL_EXPORTER_ZIPKIN_ENDPOINT", zipkin.spansEndpoint()), bufferDir)) {
      trace = SampleTrace.record(obs);
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> zipkin.trace(trace.traceId()).size() == 3);

    Map<String, JsonNode> spans = toMap(zipkin.trace(trace.traceId()));
    JsonNode root = spans.get(trace.rootId());
    assertThat(root.path("name").asText()).isEqualTo(SampleTrace.ROOT);
    assertThat(root.has("parentId")).isFalse();
    assertThat(root.path("kind").asText()).isEqualTo("SERVER");
    assertThat(root.path("localEndpoint").path("serviceName").asText()).isEqualTo("zipkin-e2e");
    assertThat(root.path("tags").path("mcp.method.name").asText()).isEqualTo("tools/call");
    assertThat(root.path("tags").path("gen_ai.tool.name").asText()).isEqualTo("echo");
    assertThat(root.path("tags").path("deployment.environment").isMissingNode())
        .as("resource attributes are not span tags in Zipkin").isTrue();

    JsonNode forward = spans.get(trace.forwardId());
    assertThat(forward.path("name").asText()).isEqualTo(SampleTrace.FORWARD);
    assertThat(forward.path("parentId").asText()).isEqualTo(trace.rootId());
    assertThat(forward.path("kind").asText()).isEqualTo("CLIENT");
    assertThat(forward.path("tags").path("mcpgw.attempt").asText()).isEqualTo("2");
    assertThat(forward.path("tags").path("otel.status_code").asText()).isEqualTo("ERROR");
    assertThat(forward.path("tags").path("error").asText()).isEqualTo("upstream failed");

    JsonNode lookup = spans.get(trace.lookupId());
    assertThat(lookup.path("name").asText()).isEqualTo(SampleTrace.LOOKUP);
    assertThat(lookup.path("parentId").asText()).isEqualTo(trace.rootId());
    assertThat(lookup.has("kind")).as("INTERNAL has no Zipkin kind").isFalse();
    assertThat(lookup.path("tags").path("mcpgw.cached").asText()).isEqualTo("true");
    assertThat(lookup.path("tags").path("mcpgw.ratio").asText()).isEqualTo("0.25");
    assertThat(lookup.path("annotations").get(0).path("value").asText()).startsWith("\"cache.miss\"");

    List<JsonNode> byService = zipkin.spans("zipkin-e2e");
    assertThat(byService).extracting(s -> s.path("id").asText())
        .contains(trace.rootId(), trace.forwardId(), trace.lookupId());
  }

  private static Map<String, JsonNode> toMap(JsonNode spans) {
    return java.util.stream.StreamSupport.stream(spans.spliterator(), false)
        .collect(Collectors.toMap(s -> s.path("id").asText(), Function.identity()));
  }
}
