package dev.mcpgw.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgw.gateway.auth.Caller;
import dev.mcpgw.gateway.auth.TokenService;
import dev.mcpgw.gateway.cli.CliProcess;
import dev.mcpgw.gateway.config.GatewaySettings;
import dev.mcpgw.gateway.store.PostgresExtension;
import dev.mcpgw.gateway.store.TestDatabases;
import dev.mcpgw.gateway.testing.LoadBalancer;
import dev.mcpgw.gateway.testing.conformance.ConformanceUpstream;
import dev.mcpgw.observability.testing.ZipkinServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real {@code mcpgw serve} processes on one PostgreSQL database behind a real HAProxy (round-robin, affinity on
 * {@code Mcp-Session-Id}, readiness checks on {@code /ready}), as docs/operations.md deploys them. One instance is
 * killed (SIGKILL) under load: once HAProxy marks it down, clients that hold no session (stateless 2026-07-28
 * requests, and session-era clients that open a session per call) see no failed call; clients whose session lived
 * there get a clear 404 and reconnect; nothing stored is lost. Both export spans to one real Zipkin and account usage
 * in the one database: one client's trace and its usage figures span both instances.
 */
@ExtendWith(PostgresExtension.class)
class LoadBalancedInstancesTest {
  private static final String SECRET = "load-balanced-test-secret-0123456789abcdef";
  private static final TokenService TOKENS = TokenService.create(SECRET.getBytes(StandardCharsets.UTF_8));
  private static final String TOOL = "conformance-test_simple_text";
  private static final String TEXT = "This is a simple text response for testing.";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  static ZipkinServer zipkin;
  @TempDir Path tmp;
  private final List<AutoCloseable> started = new ArrayList<>();
  private ConformanceUpstream upstream;
  private CliProcess a;
  private String aUrl;
  private String bUrl;
  private LoadBalancer lb;
  private String upstreamId;

  @BeforeAll
  static void startZipkin() {
    zipkin = ZipkinServer.start();
  }

  @AfterAll
  static void stopZipkin() {
    if (zipkin != null) {
      zipkin.close();
    }
  }

  /** Two instances on one database behind HAProxy; an upstream registered through it, connected by both. */
  @BeforeEach
  void twoInstancesBehindHaproxy(TestDatabases dbs) throws Exception {
    upstream = ConformanceUpstream.start();
    started.add(upstream);
    GatewaySettings.Database db = dbs.create(TestDatabases.Kind.POSTGRESQL, tmp);
    a = serve("a", db);
    CliProcess b = serve("b", db);
    aUrl = a.awaitBaseUrl();
    bUrl = b.awaitBaseUrl();
    lb = LoadBalancer.start(tmp, Map.of("a", URI.create(aUrl).getAuthority(), "b", URI.create(bUrl).getAuthority()));
    started.add(lb);

    HttpResponse<String> registered = send(lb.url() + "/gateways", token(true), "{\"name\":\"conformance\","
        + "\"transport\":\"streamablehttp\",\"url\":\"" + upstream.streamableUrl() + "\"}", null);
    assertThat(registered.statusCode()).as("%s; haproxy: %s %s", registered.body(), lb.states(), lb.log())
        .isEqualTo(201);
    upstreamId = TestGateway.JSON.readTree(registered.body()).get("id").asText();
    // the instance that did not register it connects it within the catalog TTL
    for (String instance : List.of(aUrl, bUrl)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> send(instance + "/gateways", null, null).body()
          .contains("\"status\":\"healthy\""));
    }
  }

  @AfterEach
  void stopAll() throws Exception {
    for (int i = started.size() - 1; i >= 0; i--) {
      started.get(i).close();
    }
  }

  private CliProcess serve(String name, GatewaySettings.Database db) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve(name));
    Map<String, String> env = new HashMap<>();
    env.put("MCPGW_DATA_DIR", dir.resolve("data").toString());
    env.put("MCPGW_DATABASE_URL", db.url());
    env.put("MCPGW_DATABASE_USER", db.user());
    // one deployment: the same token secret and secret key on every instance
    env.put("MCPGW_JWT_SECRET", SECRET);
    env.put("MCPGW_SECRET_KEY", Base64.getEncoder().encodeToString(new byte[32]));
    env.put("MCPGW_CATALOG_CACHE_TTL", "1s");
    env.put("MCPGW_HEALTH_CHECK_INTERVAL", "1h");
    env.put("MCPGW_USAGE_FLUSH_INTERVAL", "200ms");
    env.put("OTEL_SERVICE_NAME", "lb-gateway-" + name);
    env.put("OTEL_TRACES_EXPORTER", "zipkin");
    env.put("OTEL_EXPORTER_ZIPKIN_ENDPOINT", zipkin.spansEndpoint());
    env.put("OTEL_BSP_SCHEDULE_DELAY", "100");
    env.put("OTEL_METRICS_EXPORTER", "none");
    env.put("OTEL_LOGS_EXPORTER", "none");
    CliProcess p = CliProcess.start(dir, env, "serve", "--port", "0");
    started.add(p);
    return p;
  }

  private static String token(boolean admin) {
    return TOKENS.issue(new Caller(admin ? "root" : "alice", "acme", admin), Duration.ofHours(1));
  }

  private static HttpResponse<String> send(String url, String body, String session) throws Exception {
    return send(url, token(false), body, session);
  }

  /** A GET without {@code body}, else a POST of it. */
  private static HttpResponse<String> send(String url, String token, String body, String session) throws Exception {
    return send(url, token, body, session, Map.of());
  }

  private static HttpResponse<String> send(String url, String token, String body, String session,
      Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + token)
        .header("Accept", "application/json, text/event-stream");
    if (session != null) {
      b.header("Mcp-Session-Id", session);
    }
    headers.forEach(b::header);
    if (body == null) {
      b.GET();
    } else {
      b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** One MCP client over raw Streamable HTTP through the load balancer. */
  private static final class Client {
    private final String url;
    private String session;
    private int id;

    Client(String url) {
      this.url = url;
    }

    /** Opens a new session; throws when it is refused. */
    void initialize() throws Exception {
      HttpResponse<String> r = send(url + "/mcp", "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\","
          + "\"params\":{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"lb\","
          + "\"version\":\"1\"}}}", null);
      if (r.statusCode() != 200) {
        throw new IllegalStateException("initialize -> " + r.statusCode() + " " + r.body());
      }
      session = r.headers().firstValue("Mcp-Session-Id").orElseThrow();
      send(url + "/mcp", "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", session);
    }

    /** Whether {@code instance} (a gateway's own URL, not the balancer's) holds this client's session. */
    boolean livesOn(String instance) throws Exception {
      return send(instance + "/mcp", "{\"jsonrpc\":\"2.0\",\"id\":\"where\",\"method\":\"ping\"}", session)
          .statusCode() == 200;
    }

    /** The tool's answer, or the HTTP failure. */
    HttpResponse<String> call() throws Exception {
      return send(url + "/mcp", "{\"jsonrpc\":\"2.0\",\"id\":" + (++id) + ",\"method\":\"tools/call\","
          + "\"params\":{\"name\":\"" + TOOL + "\",\"arguments\":{}}}", session);
    }
  }

  /**
   * One stateless (2026-07-28) {@code tools/call} through {@code url}: no session, the revision's {@code _meta}
   * fields and the headers that mirror the body; {@code meta} adds to {@code _meta} (e.g. a {@code traceparent}).
   */
  private static HttpResponse<String> statelessCall(String url, String meta) throws Exception {
    String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"" + TOOL
        + "\",\"arguments\":{},\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
        + "\"io.modelcontextprotocol/clientCapabilities\":{},\"io.modelcontextprotocol/clientInfo\":{\"name\":\"lb\","
        + "\"version\":\"1\"}" + meta + "}}}";
    return send(url + "/mcp", token(false), body, null,
        Map.of("MCP-Protocol-Version", "2026-07-28", "Mcp-Method", "tools/call", "Mcp-Name", TOOL));
  }

  /** One call's outcome: when it started, and what went wrong ({@code null} when nothing did). */
  private record Outcome(long startedNanos, String failure) {}

  private static String failureOf(HttpResponse<String> r) throws Exception {
    if (r.statusCode() != 200) {
      return "HTTP " + r.statusCode() + ": " + r.body();
    }
    JsonNode answer = TestGateway.rpcAnswer(r);
    return TEXT.equals(answer.at("/result/content/0/text").asText()) ? null : answer.toString();
  }

  @Test
  void killingOneInstanceUnderLoadFailsNoSessionlessCallAfterItIsMarkedDownAndSessionsReconnect()
      throws Exception {
    AtomicBoolean running = new AtomicBoolean(true);
    List<Outcome> sessionless = new CopyOnWriteArrayList<>();
    List<Thread> workers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      workers.add(Thread.ofVirtual().start(() -> {
        while (running.get()) {
          long t = System.nanoTime();
          String failure;
          try {
            // clients that hold no session: a stateless request, a session-era client with a fresh session for
            // each call, and the admin API
            failure = failureOf(statelessCall(lb.url(), ""));
            if (failure == null) {
              Client c = new Client(lb.url());
              c.initialize();
              failure = failureOf(c.call());
            }
            if (failure == null) {
              HttpResponse<String> tools = send(lb.url() + "/tools", null, null);
              failure = tools.statusCode() == 200 && tools.body().contains(TOOL) ? null
                  : "GET /tools -> " + tools.statusCode() + " " + tools.body();
            }
          } catch (Exception e) {
            failure = e.toString();
          }
          sessionless.add(new Outcome(t, failure));
        }
      }));
    }
    // two sessions on each instance, opened through the balancer
    List<Client> onA = new ArrayList<>();
    List<Client> onB = new ArrayList<>();
    for (int i = 0; i < 40 && (onA.size() < 2 || onB.size() < 2); i++) {
      Client c = new Client(lb.url());
      c.initialize();
      (c.livesOn(aUrl) ? onA : onB).add(c);
    }
    assertThat(onA).as("round-robin puts sessions on a").hasSizeGreaterThanOrEqualTo(2);
    assertThat(onB).as("round-robin puts sessions on b").hasSizeGreaterThanOrEqualTo(2);
    Map<Client, List<Outcome>> sessions = new java.util.LinkedHashMap<>();
    for (Client c : List.of(onA.get(0), onA.get(1), onB.get(0), onB.get(1))) {
      List<Outcome> outcomes = new CopyOnWriteArrayList<>();
      sessions.put(c, outcomes);
      workers.add(Thread.ofVirtual().start(() -> {
        boolean open = true;
        while (running.get()) {
          long t = System.nanoTime();
          String failure;
          try {
            if (!open) {
              c.initialize();
              open = true;
            }
            HttpResponse<String> r = c.call();
            failure = failureOf(r);
            if (r.statusCode() == 404) {
              open = false; // the session is gone: initialize again
            }
          } catch (Exception e) {
            failure = e.toString();
          }
          outcomes.add(new Outcome(t, failure));
        }
      }));
    }

    await().atMost(Duration.ofSeconds(60)).until(() -> sessionless.size() > 10
        && sessions.values().stream().allMatch(s -> s.size() > 5));
    a.kill();
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
        .until(() -> "DOWN".equals(lb.states().get("a")));
    long markedDown = System.nanoTime();
    int before = sessionless.size();
    await().atMost(Duration.ofSeconds(60)).until(() -> sessionless.size() > before + 10
        && sessions.values().stream().allMatch(s -> s.stream().filter(o -> o.startedNanos() > markedDown)
            .filter(o -> o.failure() == null).count() >= 5));
    running.set(false);
    for (Thread w : workers) {
      w.join(Duration.ofSeconds(60));
    }

    assertThat(sessionless.stream().filter(o -> o.startedNanos() > markedDown && o.failure() != null)
        .map(Outcome::failure)).as("calls without a session after HAProxy marked the instance down").isEmpty();
    for (Client c : onB.subList(0, 2)) {
      assertThat(sessions.get(c).stream().map(Outcome::failure).filter(f -> f != null))
          .as("a session on the surviving instance").isEmpty();
    }
    for (Client c : onA.subList(0, 2)) {
      List<String> failures = sessions.get(c).stream().map(Outcome::failure).filter(f -> f != null).toList();
      assertThat(failures).as("a session on the killed instance ends with a clear error")
          .anyMatch(f -> f.startsWith("HTTP 404") && f.contains("unknown or ended session; initialize a new one"));
      assertThat(sessions.get(c).stream().filter(o -> o.startedNanos() > markedDown).map(Outcome::failure))
          .as("after the mark-down, at most that error, then calls on its new session")
          .allMatch(f -> f == null || f.startsWith("HTTP 404") && f.contains("unknown or ended session"))
          .filteredOn(f -> f != null).hasSizeLessThanOrEqualTo(1);
    }

    // nothing stored is lost: the registry as the surviving instance reads it from the database
    JsonNode gateways = TestGateway.JSON.readTree(send(lb.url() + "/gateways", null, null).body());
    assertThat(gateways).extracting(g -> g.get("id").asText()).containsExactly(upstreamId);
    assertThat(send(bUrl + "/tools", null, null).body()).contains(TOOL);
  }

  @Test
  void oneClientsTraceThroughTheBalancerSpansBothInstances() throws Exception {
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    Map<String, String> context = Map.of("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01");
    for (int i = 0; i < 4; i++) {
      // round-robin: the admin API's calls alternate between the instances
      HttpResponse<String> tools = send(lb.url() + "/tools", token(false), null, null, context);
      assertThat(tools.statusCode()).as(tools.body()).isEqualTo(200);
    }

    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
      java.util.Set<String> services = new java.util.HashSet<>();
      zipkin.trace(traceId).forEach(span -> services.add(span.path("localEndpoint").path("serviceName").asText()));
      assertThat(services).contains("lb-gateway-a", "lb-gateway-b");
    });
  }

  @Test
  void aStatelessClientsCallsSpreadOverBothInstancesMakeOneTraceAndOneUsageFigure() throws Exception {
    String traceId = "5c0a4688c8f3c2b1d8e9f00112233445";
    String meta = ",\"traceparent\":\"00-" + traceId + "-00f067aa0ba902b7-01\"";
    int calls = 6;
    for (int i = 0; i < calls; i++) {
      // no session: round-robin sends consecutive requests to alternate instances
      HttpResponse<String> r = statelessCall(lb.url(), meta);
      assertThat(failureOf(r)).as("stateless call %d", i).isNull();
      assertThat(r.headers().firstValue("Mcp-Session-Id")).isEmpty();
    }

    // trace context in _meta (SEP-414): the calls' SERVER spans of both instances join the client's trace
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
      java.util.Set<String> served = new java.util.HashSet<>();
      zipkin.trace(traceId).forEach(span -> {
        if (span.path("name").asText().startsWith("tools/call")) {
          served.add(span.path("localEndpoint").path("serviceName").asText());
        }
      });
      assertThat(served).contains("lb-gateway-a", "lb-gateway-b");
    });
    // usage: each instance adds its own roll-ups to the shared database; either instance answers the sum
    for (String instance : List.of(aUrl, bUrl)) {
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
        JsonNode groups = TestGateway.JSON.readTree(send(instance + "/usage?groupBy=user", token(true), null, null)
            .body()).path("groups");
        assertThat(groups).as("usage on %s: %s", instance, groups)
            .anySatisfy(g -> {
              assertThat(g.path("key").asText()).isEqualTo("alice");
              assertThat(g.path("calls").asLong()).isEqualTo(calls);
              assertThat(g.path("errors").asLong()).isZero();
            });
      });
    }
  }
}
