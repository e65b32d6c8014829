package dev.mcpgw.gateway.upstream;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgw.gateway.jsonrpc.MessageJson;
import dev.mcpgw.gateway.store.UpstreamSpec;
import dev.mcpgw.gateway.testing.FaultyHttpProxy;
import dev.mcpgw.gateway.trace.GatewayTelemetry;
import dev.mcpgw.observability.Observability;
import dev.mcpgw.observability.config.ObservabilityConfigLoader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What an upstream client test opens: tracing with its spans kept in {@link #memory} (when the test asks for it), the
 * recording, fault-injecting proxy in front of the real upstream, and the pool that connects through it; and what it
 * reads back (spans, the POSTs the proxy saw). A test holds one per test method and closes it after each; closing
 * closes what was opened.
 */
final class UpstreamRig implements AutoCloseable {
  final InMemorySpanExporter memory = InMemorySpanExporter.create();
  Observability observability;
  FaultyHttpProxy proxy;
  UpstreamConnections pool;

  /** Tracing on, spans exported every 10 ms into {@link #memory}; nothing leaves the process. */
  Observability tracing() {
    observability = Observability.builder(ObservabilityConfigLoader.load(Map.of("OTEL_METRICS_EXPORTER", "none",
        "OTEL_TRACES_EXPORTER", "none", "OTEL_LOGS_EXPORTER", "none", "OTEL_BSP_SCHEDULE_DELAY", "10"), null))
        .addSpanExporter("memory", memory).build();
    return observability;
  }

  /** Settings of these tests: 10 s timeouts, 20 ms between retries, the breaker open for 30 s once it trips. */
  static UpstreamSettings settings(int maxRetries, int breakerThreshold) {
    return new UpstreamSettings(Duration.ofSeconds(10), Duration.ofSeconds(10), maxRetries, Duration.ofMillis(20),
        breakerThreshold, Duration.ofSeconds(30));
  }

  /**
   * With tracing on, connects {@code g1} ({@code name}, {@code transport}) through a recording proxy to {@code url},
   * without retries.
   */
  UpstreamClient connectTraced(String url, String name, UpstreamSpec.Transport transport, UpstreamListener listener)
      throws Exception {
    tracing();
    URI target = URI.create(url);
    proxy = FaultyHttpProxy.start("http://127.0.0.1:" + target.getPort());
    pool = UpstreamConnections.builder(settings(0, 10))
        .tracer(GatewayTelemetry.create(observability).upstreamRequests()).build();
    UpstreamSpec spec = new UpstreamSpec(name, transport, proxy.url(target.getPath()), null, List.of(), Map.of(),
        Map.of());
    return pool.connect("g1", spec, listener).get(30, TimeUnit.SECONDS);
  }

  /** The last finished span called {@code name}, once it is exported. */
  SpanData span(String name) {
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      observability.forceFlush(Duration.ofSeconds(10));
      return memory.getFinishedSpanItems().stream().anyMatch(s -> s.getName().equals(name));
    });
    return memory.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).reduce((a, b) -> b)
        .orElseThrow();
  }

  /** The {@code traceparent} of {@code span} up to its flags (which may also carry the random-trace-id bit). */
  static String traceparent(SpanData span) {
    return "00-" + span.getTraceId() + "-" + span.getSpanId() + "-";
  }

  /** The body and headers of the last POST the proxy received for {@code method}. */
  Post lastPost(String method) throws Exception {
    List<String> requests = proxy.requests();
    for (int i = requests.size() - 1; i >= 0; i--) {
      String r = requests.get(i);
      if (r.startsWith("POST ") && r.indexOf('{') > 0) {
        JsonNode body = MessageJson.MAPPER.readTree(r.substring(r.indexOf('{')));
        if (method.equals(body.path("method").asText())) {
          return new Post(body, proxy.requestHeaders().get(i));
        }
      }
    }
    throw new AssertionError("no POST of " + method + " among " + requests);
  }

  /** A POST the proxy received: its JSON body and its headers. */
  record Post(JsonNode body, Map<String, List<String>> headers) {
    String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).findFirst()
          .map(e -> e.getValue().get(0)).orElse(null);
    }
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.close();
    }
    if (proxy != null) {
      proxy.close();
    }
    if (observability != null) {
      observability.shutdown();
    }
  }
}
