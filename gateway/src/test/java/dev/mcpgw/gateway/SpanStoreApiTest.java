package dev.mcpgw.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgw.gateway.auth.Caller;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** {@code /observability/*} over the spans of real calls through a gateway running the demo upstream. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SpanStoreApiTest {
  @TempDir static Path tmp;
  private StoreGateway store;
  private String op;
  private String echoTrace;
  private String failedTrace;
  private String globexTrace;
  private String agentTrace;
  private Instant before;

  @BeforeAll
  void start() throws Exception {
    store = StoreGateway.start(tmp, Map.of());
    op = store.gw.platformAdminToken();
    before = Instant.now();
    String alice = store.gw.token("alice", "acme", Caller.Role.USER);
    String bob = store.gw.token("bob", "globex", Caller.Role.USER);
    assertThat(store.callTool(alice, "demo-echo", "{\"message\":\"hi\"}", "acme-echo-1").statusCode()).isEqualTo(200);
    echoTrace = store.awaitTrace("acme-echo-1");
    assertThat(store.callTool(alice, "demo-add", "{\"a\":\"x\",\"b\":1}", "acme-add-err").statusCode()).isEqualTo(200);
    failedTrace = store.awaitTrace("acme-add-err");
    assertThat(store.callTool(bob, "demo-add", "{\"a\":1,\"b\":2}", "globex-add-1").statusCode()).isEqualTo(200);
    globexTrace = store.awaitTrace("globex-add-1");
    // an agent run: three calls of tenant initech in one trace (the client propagates one traceparent)
    agentTrace = store.agentRun(store.gw.token("carol", "initech", Caller.Role.USER), "demo-echo",
        "{\"message\":\"step\"}", "agent-1", "agent-2", "agent-3");
  }

  @AfterAll
  void stop() {
    store.close();
  }

  private List<String> traceIds(String query) throws Exception {
    List<String> ids = new ArrayList<>();
    store.gw.get("/observability/traces" + query, op).path("traces").forEach(t -> ids.add(t.path("traceId").asText()));
    return ids;
  }

  @Test
  void aTraceFoundByRequestIdSummarisesTheCall() throws Exception {
    JsonNode t = store.gw.get("/observability/traces?requestId=acme-echo-1", op).path("traces").get(0);
    assertThat(t.path("traceId").asText()).isEqualTo(echoTrace);
    assertThat(t.path("name").asText()).isEqualTo("POST /mcp");
    assertThat(t.path("requestId").asText()).isEqualTo("acme-echo-1");
    assertThat(t.path("user").asText()).isEqualTo("alice");
    assertThat(t.path("tenant").asText()).isEqualTo("acme");
    assertThat(t.path("tool").asText()).isEqualTo("demo-echo");
    assertThat(t.path("status").asText()).isEqualTo("ok");
    assertThat(t.path("durationMs").asDouble()).isPositive();
    assertThat(Instant.parse(t.path("start").asText())).isAfterOrEqualTo(before.minusSeconds(1));
  }

  @Test
  void theSecondCallOfAnAgentRunIsFoundByItsOwnRequestId() throws Exception {
    String carol = store.gw.token("carol", "initech", Caller.Role.USER);
    for (String token : List.of(op, carol)) {
      JsonNode traces = store.gw.get("/observability/traces?requestId=agent-2", token).path("traces");
      assertThat(traces).hasSize(1);
      assertThat(traces.get(0).path("traceId").asText()).isEqualTo(agentTrace);
      assertThat(traces.get(0).path("tenant").asText()).isEqualTo("initech");
      // the run's six requests (each call opens a session) and their spans, all in the one trace
      assertThat(traces.get(0).path("spanCount").asInt()).isGreaterThanOrEqualTo(12);
    }
    assertThat(traceIds("?requestId=agent-3&tool=demo-echo&user=carol")).containsExactly(agentTrace);
    List<String> names = new ArrayList<>();
    store.gw.get("/observability/traces/" + agentTrace, op).path("spans")
        .forEach(s -> names.add(s.path("name").asText()));
    assertThat(names).filteredOn("tools/call demo-echo"::equals).hasSize(3);
  }

  @Test
  void aTraceByIdHasTheHttpMcpForwardAndUpstreamClientSpansWithAttributesAndEvents() throws Exception {
    JsonNode trace = store.gw.get("/observability/traces/" + echoTrace, op);
    assertThat(trace.path("traceId").asText()).isEqualTo(echoTrace);
    List<String> names = new ArrayList<>();
    trace.path("spans").forEach(s -> names.add(s.path("kind").asText() + " " + s.path("name").asText()));
    assertThat(names).contains("SERVER POST /mcp", "SERVER tools/call demo-echo", "INTERNAL gateway.forward",
        "CLIENT tools/call echo", "INTERNAL tool.lookup");
    JsonNode mcp = find(trace, "tools/call demo-echo");
    assertThat(mcp.path("attributes").path("user.id").asText()).isEqualTo("alice");
    assertThat(mcp.path("parentSpanId").asText()).isEqualTo(find(trace, "POST /mcp").path("spanId").asText());
    List<String> events = new ArrayList<>();
    mcp.path("events").forEach(e -> events.add(e.path("name").asText()));
    assertThat(events).contains("tool.validation.completed");
  }

  @Test
  void otlpFormatIsAnExportRequestJaegerAndTempoImport() throws Exception {
    JsonNode otlp = store.gw.get("/observability/traces/" + echoTrace + "?format=otlp", op);
    JsonNode spans = otlp.at("/resourceSpans/0/scopeSpans/0/spans");
    assertThat(spans.size()).isGreaterThanOrEqualTo(4);
    assertThat(otlp.at("/resourceSpans/0/resource/attributes/0/key").asText()).isEqualTo("service.name");
    JsonNode first = spans.get(0);
    assertThat(first.path("traceId").asText()).isEqualTo(echoTrace);
    assertThat(first.path("spanId").asText()).hasSize(16);
    assertThat(Long.parseLong(first.path("endTimeUnixNano").asText()))
        .isGreaterThanOrEqualTo(Long.parseLong(first.path("startTimeUnixNano").asText()));
    assertThat(first.path("kind").asInt()).isBetween(1, 5);
    assertThat(first.path("attributes").get(0).path("value").fieldNames().next()).endsWith("Value");
  }

  @Test
  void everyFilterNarrowsTheList() throws Exception {
    // each call opens its own session: its initialize is a trace of the same user and tenant too
    assertThat(traceIds("?traceId=" + echoTrace)).containsExactly(echoTrace);
    assertThat(traceIds("?user=bob")).contains(globexTrace).doesNotContain(echoTrace, failedTrace);
    assertThat(traceIds("?tenant=acme")).contains(echoTrace, failedTrace).doesNotContain(globexTrace);
    assertThat(traceIds("?tool=demo-add")).containsExactlyInAnyOrder(failedTrace, globexTrace);
    assertThat(traceIds("?tool=demo-echo")).containsExactlyInAnyOrder(echoTrace, agentTrace);
    assertThat(traceIds("?status=error")).containsExactly(failedTrace);
    assertThat(traceIds("?status=ok&tenant=acme")).contains(echoTrace).doesNotContain(failedTrace, globexTrace);
    assertThat(traceIds("?minDurationMs=0&tool=demo-add")).hasSize(2);
    assertThat(traceIds("?minDurationMs=600000")).isEmpty();
    assertThat(traceIds("?from=" + Instant.now().plusSeconds(60))).isEmpty();
    assertThat(traceIds("?to=" + before.minusSeconds(60).toEpochMilli())).isEmpty();
    assertThat(traceIds("?from=" + before.minusSeconds(1) + "&to=" + Instant.now().plusSeconds(1)))
        .contains(echoTrace, failedTrace, globexTrace);
    assertThat(traceIds("?requestId=no-such-request")).isEmpty();
    // filters combine across the spans of a trace: the request id is on the HTTP span, the tool on the MCP span
    assertThat(traceIds("?requestId=acme-echo-1&tool=demo-echo&user=alice&tenant=acme&status=ok"))
        .containsExactly(echoTrace);
    assertThat(traceIds("?requestId=acme-echo-1&tool=demo-add")).isEmpty();
  }

  @Test
  void pagesAreNewestFirstAndLinkedByOffset() throws Exception {
    JsonNode first = store.gw.get("/observability/traces?tool=demo-add&limit=1", op);
    assertThat(first.path("traces")).hasSize(1);
    assertThat(first.path("traces").get(0).path("traceId").asText()).isEqualTo(globexTrace);
    assertThat(first.path("nextOffset").asInt()).isEqualTo(1);
    JsonNode second = store.gw.get("/observability/traces?tool=demo-add&limit=1&offset=1", op);
    assertThat(second.path("traces").get(0).path("traceId").asText()).isEqualTo(failedTrace);
    assertThat(second.has("nextOffset")).isFalse();
  }

  @Test
  void statsGiveCallsErrorRateAndPercentilesPerToolUpstreamAndMethod() throws Exception {
    JsonNode tools = store.gw.get("/observability/stats?groupBy=tool&window=1h", op);
    JsonNode add = group(tools, "demo-add");
    assertThat(add.path("calls").asLong()).isEqualTo(2);
    assertThat(add.path("errors").asLong()).isEqualTo(1);
    assertThat(add.path("errorRate").asDouble()).isEqualTo(0.5);
    assertThat(add.path("p99Ms").asDouble()).isGreaterThanOrEqualTo(add.path("p50Ms").asDouble()).isPositive();
    assertThat(group(store.gw.get("/observability/stats?groupBy=upstream", op), "demo").path("calls").asLong())
        .isGreaterThanOrEqualTo(3);
    assertThat(group(store.gw.get("/observability/stats?groupBy=method", op), "tools/call").path("calls").asLong())
        .as("three calls and the agent run's three").isEqualTo(6);
    assertThat(tools.path("store").path("written").asLong()).isPositive();
    assertThat(tools.path("store").path("dropped").asLong()).isZero();
  }

  @Test
  void statsOverTimeSplitTheWindowIntoWholeBucketsEachWithItsCallsErrorsAndLatency() throws Exception {
    JsonNode tools = store.gw.get("/observability/stats?groupBy=tool&window=1h&bucket=1m", op);
    assertThat(tools.path("bucket").asText()).isEqualTo("PT1M");
    JsonNode add = group(tools, "demo-add");
    JsonNode series = add.path("series");
    assertThat(series.size()).isBetween(60, 61);
    Instant first = Instant.parse(series.get(0).path("start").asText());
    assertThat(first.getEpochSecond() % 60).isZero();
    long calls = 0;
    long errors = 0;
    for (int i = 0; i < series.size(); i++) {
      JsonNode point = series.get(i);
      assertThat(Instant.parse(point.path("start").asText())).isEqualTo(first.plusSeconds(60L * i));
      calls += point.path("calls").asLong();
      errors += point.path("errors").asLong();
      if (point.path("calls").asLong() == 0) {
        assertThat(point.path("p95Ms").isNull()).isTrue();
      } else {
        assertThat(point.path("p95Ms").asDouble()).isPositive();
      }
    }
    assertThat(calls).isEqualTo(add.path("calls").asLong()).isEqualTo(2);
    assertThat(errors).isEqualTo(1);
    assertThat(Instant.parse(series.get(series.size() - 1).path("start").asText())).isBefore(Instant.now());
    JsonNode upstream = group(store.gw.get("/observability/stats?groupBy=upstream&window=10m&bucket=5m", op), "demo");
    assertThat(upstream.path("series").size()).isBetween(2, 3);
  }

  @Test
  void badParametersAreRefusedNamingThem() throws Exception {
    for (String q : List.of("traces?status=maybe", "traces?limit=0", "traces?limit=x", "traces?from=yesterday",
        "traces?minDurationMs=-1", "stats?groupBy=colour", "stats?window=forever",
        "stats?bucket=soon", "stats?bucket=0s", "stats?window=1h&bucket=1s", "stats?window=1m&bucket=5m", "traces/not-a-trace-id",
        "traces/" + echoTrace + "?format=xml")) {
      HttpResponse<String> r = store.gw.send("GET", "/observability/" + q, op, null);
      assertThat(r.statusCode()).as(q).isEqualTo(400);
      assertThat(TestGateway.JSON.readTree(r.body()).path("error").asText()).as(q).isNotBlank();
    }
    assertThat(store.gw.send("GET", "/observability/traces/" + "0".repeat(32), op, null).statusCode()).isEqualTo(404);
  }

  @Test
  void withoutATokenTheApiAnswers401() throws Exception {
    assertThat(store.gw.send("GET", "/observability/traces", null, null).statusCode()).isEqualTo(401);
  }

  private static JsonNode find(JsonNode trace, String name) {
    for (JsonNode s : trace.path("spans")) {
      if (s.path("name").asText().equals(name) && (!name.startsWith("tools/call") || s.path("kind").asText()
          .equals("SERVER") || name.equals("tools/call echo"))) {
        return s;
      }
    }
    throw new AssertionError("no span " + name + " in " + trace);
  }

  private static JsonNode group(JsonNode stats, String key) {
    for (JsonNode g : stats.path("groups")) {
      if (g.path("key").asText().equals(key)) {
        return g;
      }
    }
    throw new AssertionError("no group " + key + " in " + stats);
  }
}
