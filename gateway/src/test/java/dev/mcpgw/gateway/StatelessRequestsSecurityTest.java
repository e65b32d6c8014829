package dev.mcpgw.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.auth.Caller.Role;
import dev.mcpgw.gateway.config.GatewaySettings;
import dev.mcpgw.gateway.testing.FaultyHttpProxy;
import dev.mcpgw.gateway.testing.conformance.ConformanceUpstream;
import dev.mcpgw.gateway.trace.RecordingTracing;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The stateless revision (2026-07-28) attacked end to end, as a user with a valid token of another tenant would: a
 * real gateway with authentication, real tokens, the conformance upstream registered {@code statelesshttp} (behind a
 * recording proxy, to see what reaches it) and over Streamable HTTP with sessions (for held calls). Tenant B must see
 * none of tenant A's entities or list changes; a {@code requestState} sealed for one caller must resume nothing for
 * another, on any path; held calls and listen streams are bounded per user and per tenant; hostile input gets a 4xx
 * JSON answer; the upstream sees neither the client's token nor the gateway's secrets.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatelessRequestsSecurityTest {
  private static final String VERSION = "2026-07-28";
  private static final String JWT_SECRET = "jwt-secret-that-no-upstream-may-see-0123456789";
  private static final String SECRET_KEY = Base64.getEncoder().encodeToString(
      "registry-key-no-upstream-sees-32".getBytes(StandardCharsets.US_ASCII));
  private static final int PER_USER = 3;
  private static final int PER_TENANT = 5;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final List<CompletableFuture<?>> streams = new CopyOnWriteArrayList<>();
  /** Reads the listen streams: never the test's own thread, which a stream would hold for ever. */
  private final java.util.concurrent.ExecutorService readers =
      java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private RecordingTracing tracing;
  private ConformanceUpstream upstream;
  private FaultyHttpProxy proxy;
  private TestGateway gw;
  private String aAdmin;
  private String aUser;
  private String aOther;
  private String bUser;
  private String platform;
  private String aServer;

  @BeforeAll
  void startAGatewayWithTwoTenants(@TempDir Path tmp) throws Exception {
    upstream = ConformanceUpstream.start();
    URI direct = URI.create(upstream.streamableUrl());
    proxy = FaultyHttpProxy.start(direct.getScheme() + "://" + direct.getAuthority());
    java.nio.file.Files.createDirectories(tmp.resolve("config"));
    java.nio.file.Files.writeString(tmp.resolve("config/mcpgw.yaml"), """
        plugins:
          - name: deny
            kind: deny_list
            priority: 10
            config:
              tools: ["*-test_image_content"]
              tenants:
                tenant-b:
                  tools: ["*-test_audio_content"]
        """);
    logs.start();
    root.addAppender(logs);
    tracing = RecordingTracing.start();
    gw = TestGateway.start(TestGateway.settings(tmp,
        new GatewaySettings.Database("jdbc:sqlite:" + tmp.resolve("reg.db"), null, null, 4),
        Map.of("MCPGW_JWT_SECRET", JWT_SECRET, "MCPGW_SECRET_KEY", SECRET_KEY,
            "MCPGW_SESSIONS_MAX_PER_USER", String.valueOf(PER_USER),
            "MCPGW_SESSIONS_MAX_PER_TENANT", String.valueOf(PER_TENANT),
            "MCPGW_UPSTREAM_DEDICATED_SESSIONS_PER_USER", "10")),
        GatewayApplication.Parts.production().withObservability(settings -> tracing.observability()));
    aAdmin = gw.token("ann", "tenant-a", Role.TENANT_ADMIN);
    aUser = gw.token("al", "tenant-a", Role.USER);
    aOther = gw.token("amy", "tenant-a", Role.USER);
    bUser = gw.token("bea", "tenant-b", Role.USER);
    platform = gw.platformAdminToken();

    String drafta = gw.post("/gateways", "{\"name\":\"drafta\",\"transport\":\"statelesshttp\",\"url\":\""
        + proxy.url(direct.getPath()) + "\"}", aAdmin).get("id").asText();
    gw.post("/gateways", "{\"name\":\"sessa\",\"transport\":\"streamablehttp\",\"url\":\"" + direct + "\"}", aAdmin);
    aServer = gw.post("/servers", "{\"name\":\"a-private\",\"gateways\":[\"" + drafta + "\"]}", aAdmin)
        .get("id").asText();
    gw.post("/gateways", "{\"name\":\"shared\",\"transport\":\"statelesshttp\",\"url\":\"" + direct
        + "\",\"visibility\":\"public\"}", platform);
    gw.post("/gateways", "{\"name\":\"sharedsess\",\"transport\":\"streamablehttp\",\"url\":\"" + direct
        + "\",\"visibility\":\"public\"}", platform);
  }

  @AfterAll
  void stop() throws Exception {
    streams.forEach(s -> s.cancel(true));
    readers.shutdownNow();
    root.detachAppender(logs);
    if (gw != null) {
      gw.close();
    }
    if (proxy != null) {
      proxy.close();
    }
    if (upstream != null) {
      upstream.close();
    }
    if (tracing != null) {
      tracing.close();
    }
  }

  // ---------------------------------------------------------------- 1. tenant isolation

  @Test
  void aUserOfTenantBSeesNoneOfTenantAsEntitiesOverStatelessRequestsEvenByTheirNames() throws Exception {
    List<String> aTools = names(ok(aUser, "/mcp", "tools/list", null, "").path("result").path("tools"), "name");
    List<String> aPrompts = names(ok(aUser, "/mcp", "prompts/list", null, "").path("result").path("prompts"),
        "name");
    List<String> aResources = names(ok(aUser, "/mcp", "resources/list", null, "").path("result").path("resources"),
        "uri");
    assertThat(aTools).contains("drafta-test_simple_text", "sessa-test_elicitation");
    List<String> privateTools = aTools.stream().filter(n -> !n.startsWith("shared")).toList();

    JsonNode bTools = ok(bUser, "/mcp", "tools/list", null, "").path("result").path("tools");
    assertThat(names(bTools, "name")).isNotEmpty().allMatch(n -> n.startsWith("shared"));
    for (String tool : privateTools.subList(0, 5)) {
      HttpResponse<String> call = stateless(bUser, "/mcp", "tools/call", tool,
          "\"name\":\"" + tool + "\",\"arguments\":{}", Map.of());
      assertThat(call.statusCode()).as(call.body()).isEqualTo(400);
      assertThat(call.body()).contains("Unknown tool").doesNotContain("drafta-test_simple_text\"");
    }
    JsonNode bPrompts = ok(bUser, "/mcp", "prompts/list", null, "").path("result").path("prompts");
    for (String prompt : aPrompts.stream().filter(n -> !names(bPrompts, "name").contains(n)).toList()) {
      HttpResponse<String> get = stateless(bUser, "/mcp", "prompts/get", prompt, "\"name\":\"" + prompt + "\"",
          Map.of());
      assertThat(get.statusCode()).as(get.body()).isEqualTo(400);
      assertThat(get.body()).doesNotContain("\"messages\"");
    }
    JsonNode bResources = ok(bUser, "/mcp", "resources/list", null, "").path("result").path("resources");
    for (String uri : aResources.stream().filter(u -> !names(bResources, "uri").contains(u)).toList()) {
      HttpResponse<String> read = stateless(bUser, "/mcp", "resources/read", uri, "\"uri\":\"" + uri + "\"",
          Map.of());
      assertThat(read.statusCode()).as(read.body()).isEqualTo(400);
      assertThat(read.body()).doesNotContain("\"contents\"");
    }
    assertThat(ok(bUser, "/mcp", "server/discover", null, "").toString()).doesNotContain("drafta", "sessa",
        "tenant-a");

    // A's private virtual server does not exist for B, whatever the method
    for (String method : List.of("server/discover", "tools/list", "prompts/list", "resources/list")) {
      HttpResponse<String> r = stateless(bUser, "/servers/" + aServer + "/mcp", method, null, "", Map.of());
      assertThat(r.statusCode()).as(method + " " + r.body()).isEqualTo(404);
    }
    String onServer = names(ok(aUser, "/servers/" + aServer + "/mcp", "tools/list", null, "").path("result")
        .path("tools"), "name").stream().filter(n -> n.endsWith("test_simple_text")).findFirst().orElseThrow();
    HttpResponse<String> call = stateless(bUser, "/servers/" + aServer + "/mcp", "tools/call", onServer,
        "\"name\":\"" + onServer + "\",\"arguments\":{}", Map.of());
    assertThat(call.statusCode()).isEqualTo(404);
    assertThat(call.body()).doesNotContain("simple text response");
    // while A's own user is served there
    assertThat(ok(aUser, "/servers/" + aServer + "/mcp", "tools/call", onServer,
        "\"name\":\"" + onServer + "\",\"arguments\":{}").toString()).contains("simple text response");
  }

  @Test
  void listenStreamsOfTenantBHearNeitherTenantAsListChangesNorItsNames() throws Exception {
    List<String> aHeard = listen(gw.token("al2", "tenant-a", Role.USER), "/mcp");
    List<String> bHeard = listen(gw.token("bea2", "tenant-b", Role.USER), "/mcp");
    await().atMost(Duration.ofSeconds(10)).until(() -> !aHeard.isEmpty() && !bHeard.isEmpty());

    String late = gw.post("/gateways", "{\"name\":\"latea\",\"transport\":\"statelesshttp\",\"url\":\""
        + upstream.streamableUrl() + "\"}", aAdmin).get("id").asText();
    try {
      await().atMost(Duration.ofSeconds(20)).until(() -> String.join("\n", aHeard)
          .contains("notifications/tools/list_changed"));
      // B's stream had the same rounds to hear it: it heard its acknowledgement and nothing else
      assertThat(String.join("\n", bHeard)).contains("notifications/subscriptions/acknowledged")
          .doesNotContain("list_changed", "latea", "drafta", "tenant-a");
    } finally {
      gw.send("DELETE", "/gateways/" + late, aAdmin, null);
    }

    HttpResponse<String> onAsServer = stateless(bUser, "/servers/" + aServer + "/mcp", "subscriptions/listen", null,
        "\"notifications\":{\"toolsListChanged\":true}", Map.of());
    assertThat(onAsServer.statusCode()).isEqualTo(404);
  }

  // ---------------------------------------------------------------- 2. requestState and held calls

  @Test
  void aRequestStateSealedForOneCallerResumesNothingForAnotherOnAnyPath() throws Exception {
    String tool = "shared-test_input_required_result_multi_round";
    JsonNode first = ok(aUser, "/mcp", "tools/call", tool, "\"name\":\"" + tool + "\",\"arguments\":{}")
        .path("result");
    assertThat(first.path("resultType").asText()).as(first.toString()).isEqualTo("input_required");
    JsonNode second = ok(aUser, "/mcp", "tools/call", tool, "\"name\":\"" + tool + "\",\"arguments\":{},"
        + "\"requestState\":\"" + first.path("requestState").asText() + "\",\"inputResponses\":{\"step1\":"
        + "{\"action\":\"accept\",\"content\":{\"name\":\"Alice\"}}}").path("result");
    String sealed = second.path("requestState").asText();
    assertThat(sealed).as(second.toString()).startsWith("mcpgw1.");
    String answer = "\"inputResponses\":{\"step2\":{\"action\":\"accept\",\"content\":{\"color\":\"red\"}}}";
    String retry = "\"name\":\"" + tool + "\",\"arguments\":{},\"requestState\":\"" + sealed + "\"," + answer;

    // another tenant, another user of the same tenant, another tool, a changed state: refused before the upstream
    for (String token : List.of(bUser, aOther)) {
      HttpResponse<String> r = stateless(token, "/mcp", "tools/call", tool, retry, Map.of());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
      assertThat(r.body()).contains("-32602").doesNotContain("Alice");
    }
    String other = "shared-test_input_required_result_elicitation";
    HttpResponse<String> otherTool = stateless(aUser, "/mcp", "tools/call", other,
        "\"name\":\"" + other + "\",\"arguments\":{},\"requestState\":\"" + sealed + "\"," + answer, Map.of());
    assertThat(otherTool.statusCode()).as(otherTool.body()).isEqualTo(400);
    String[] parts = sealed.split("\\.");
    String changed = parts[0] + "." + parts[1].substring(0, parts[1].length() - 2) + "AA." + parts[2];
    HttpResponse<String> tampered = stateless(aUser, "/mcp", "tools/call", tool, retry.replace(sealed, changed),
        Map.of());
    assertThat(tampered.statusCode()).as(tampered.body()).isEqualTo(400);

    // the seal's payload is readable: B takes the upstream's own state out of it and sends it on a path that
    // does not open seals (a session of 2025-11-25); it must reach no upstream
    String raw = TestGateway.JSON.readTree(Base64.getUrlDecoder().decode(parts[1])).path("s").asText();
    String rawState = raw.substring(raw.indexOf(':') + 1);
    JsonNode bySession = new McpRpc(gw, bUser).call("tools/call", "{\"name\":\"" + tool + "\",\"arguments\":{},"
        + "\"requestState\":\"" + rawState + "\"," + answer + "}");
    assertThat(bySession.toString()).doesNotContain("Alice");

    // the state was good all along: its own caller completes the request
    assertThat(ok(aUser, "/mcp", "tools/call", tool, retry).toString()).contains("Alice likes red");
  }

  @Test
  void aHeldCallIsFedByItsOwnCallerOnlyAndEndsWithItsAnswer() throws Exception {
    String tool = "sessa-test_elicitation";
    String call = "\"name\":\"" + tool + "\",\"arguments\":{\"message\":\"Your PIN?\"}";
    Map<String, String> elicits = Map.of();
    JsonNode first = statelessJson(aUser, "/mcp", "tools/call", tool, call, elicits, "{\"elicitation\":{}}")
        .path("result");
    assertThat(first.path("resultType").asText()).as(first.toString()).isEqualTo("input_required");
    String key = first.path("inputRequests").fieldNames().next();
    String retry = call + ",\"requestState\":\"" + first.path("requestState").asText() + "\",\"inputResponses\":{\""
        + key + "\":{\"action\":\"accept\",\"content\":{\"response\":\"%s\"}}}";

    for (String token : List.of(bUser, aOther)) {
      JsonNode stolen = statelessJson(token, "/mcp", "tools/call", tool, retry.formatted("attacker"), elicits,
          "{\"elicitation\":{}}");
      assertThat(stolen.path("error").path("code").asInt()).as(stolen.toString()).isEqualTo(-32602);
    }
    JsonNode done = statelessJson(aUser, "/mcp", "tools/call", tool, retry.formatted("1234"), elicits,
        "{\"elicitation\":{}}").path("result");
    assertThat(done.toString()).contains("1234").doesNotContain("attacker");

    // the call has ended: its state feeds nothing any more, not even its own caller's
    JsonNode again = statelessJson(aUser, "/mcp", "tools/call", tool, retry.formatted("late"), elicits,
        "{\"elicitation\":{}}");
    assertThat(again.path("error").path("code").asInt()).as(again.toString()).isEqualTo(-32602);
  }

  @Test
  void listenStreamsAreBoundedPerUserAndPerTenantWithA429NamingTheLimitEvenWhenOpenedAtOnce() throws Exception {
    String flooder = gw.token("flo", "crowd", Role.USER);
    List<HttpResponse<String>> answers = new ArrayList<>();
    List<CompletableFuture<HttpResponse<String>>> opening = new ArrayList<>();
    for (int i = 0; i < 3 * PER_USER; i++) {
      opening.add(http.sendAsync(listenRequest(flooder, "/mcp"), HttpResponse.BodyHandlers.ofString()));
    }
    streams.addAll(opening);
    // the streams that opened never end by themselves; the refused ones answer at once
    await().atMost(Duration.ofSeconds(20)).until(() -> opening.stream().filter(CompletableFuture::isDone).count()
        >= 2L * PER_USER);
    opening.stream().filter(CompletableFuture::isDone).forEach(f -> answers.add(f.join()));
    assertThat(answers).hasSize(2 * PER_USER).allSatisfy(r -> {
      assertThat(r.statusCode()).isEqualTo(429);
      assertThat(r.body()).contains("subscriptions/listen");
    });

    // the tenant's bound holds across its users: the crowd's second and third users share what is left
    int refused = 0;
    for (String user : List.of("flo2", "flo3")) {
      for (int i = 0; i < PER_USER; i++) {
        HttpRequest request = listenRequest(gw.token(user, "crowd", Role.USER), "/mcp");
        CompletableFuture<HttpResponse<String>> f = http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        streams.add(f);
        try {
          HttpResponse<String> r = f.get(2, java.util.concurrent.TimeUnit.SECONDS);
          assertThat(r.statusCode()).isEqualTo(429);
          refused++;
        } catch (java.util.concurrent.TimeoutException stillOpen) {
          // an open stream
        }
      }
    }
    assertThat(refused).isEqualTo(2 * PER_USER - (PER_TENANT - PER_USER));
    // another tenant is not affected
    assertThat(listen(gw.token("free", "elsewhere", Role.USER), "/mcp")).isNotNull();
  }

  @Test
  void heldCallsAreBoundedPerUserAndPerTenantWithA429() throws Exception {
    // the session upstream's elicitation holds a call; a stateless upstream's multi round trip holds nothing
    assertThat(holdCalls(gw.token("holder", "holders", Role.USER), PER_USER + 1))
        .containsExactly(200, 200, 200, 429);
    assertThat(holdCalls(gw.token("holder2", "holders", Role.USER), PER_USER))
        .containsExactly(200, 200, 429);
    String tool = "shared-test_input_required_result_multi_round";
    assertThat(ok(gw.token("holder3", "holders", Role.USER), "/mcp", "tools/call", tool, "\"name\":\"" + tool
        + "\",\"arguments\":{}").toString()).contains("input_required");
  }

  /** The statuses of {@code count} calls that each wait for input, made one after the other. */
  private List<Integer> holdCalls(String token, int count) throws Exception {
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      HttpResponse<String> r = statelessRaw(token, "/mcp", "tools/call", "sharedsess-test_elicitation",
          "\"name\":\"sharedsess-test_elicitation\",\"arguments\":{\"message\":\"m\"}", Map.of(),
          "{\"elicitation\":{}}");
      statuses.add(r.statusCode());
      if (r.statusCode() == 429) {
        assertThat(r.body()).contains("wait for input");
      } else {
        assertThat(r.body()).contains("input_required");
      }
    }
    return statuses;
  }

  @Test
  void hostileRequestStatesInputResponsesAndParamHeadersGetA4xxJsonAnswerNeverAStackTrace() throws Exception {
    String tool = "shared-test_simple_text";
    String header = "shared-test_header_param";
    List<HttpResponse<String>> answers = new ArrayList<>();
    for (String state : List.of("x".repeat(1_000_000), "mcpgw1.%%%.***", "mcpgw1..", "mcpgw1.e30.AAAA",
        "mcpgw1." + "A".repeat(200_000) + ".A", "\uD800\uDFFF\u0000")) {
      answers.add(stateless(aUser, "/mcp", "tools/call", tool, "\"name\":\"" + tool + "\",\"arguments\":{},"
          + "\"requestState\":" + TestGateway.JSON.writeValueAsString(state), Map.of()));
    }
    for (String state : List.of("5", "{\"s\":\"x\"}", "[\"mcpgw1\"]", "null")) {
      answers.add(stateless(aUser, "/mcp", "tools/call", tool, "\"name\":\"" + tool + "\",\"arguments\":{},"
          + "\"requestState\":" + state, Map.of()));
    }
    for (String responses : List.of("\"x\"", "[1,2]", "{\"input-1\":\"no\"}", "null")) {
      answers.add(stateless(aUser, "/mcp", "tools/call", tool, "\"name\":\"" + tool + "\",\"arguments\":{},"
          + "\"requestState\":\"mcpgw1.a.b\",\"inputResponses\":" + responses, Map.of()));
    }
    String bomb = Base64.getEncoder().encodeToString(new byte[6000]);
    byte[] invalidUtf8 = {(byte) 0xc3, (byte) 0x28, (byte) 0xff, (byte) 0xfe};
    for (String value : List.of("=?base64?" + bomb + "?=", "=?base64?!!!!?=", "=?base64?"
        + Base64.getEncoder().encodeToString(invalidUtf8) + "?=", "=?base64?=?base64?QQ==?=?=", "y".repeat(7000))) {
      answers.add(stateless(aUser, "/mcp", "tools/call", header, "\"name\":\"" + header + "\",\"arguments\":"
          + "{\"region\":\"eu\"}", Map.of("Mcp-Param-Region", value)));
    }
    answers.add(stateless(aUser, "/mcp", "tools/call", header, "\"name\":\"" + header + "\",\"arguments\":"
        + "{\"region\":\"eu\"}", Map.of("Mcp-Param-Region", "z".repeat(100_000))));
    answers.add(stateless(aUser, "/mcp", "tools/call", "n".repeat(100_000), "\"name\":\"" + tool + "\"", Map.of()));

    // a name that is not ASCII travels base64-encoded in Mcp-Name: it is checked as decoded, then looked up
    String uri = "test://caf\u00e9/\u4e2d";
    HttpResponse<String> encodedName = stateless(aUser, "/mcp", "resources/read", "=?base64?" + Base64.getEncoder()
        .encodeToString(uri.getBytes(StandardCharsets.UTF_8)) + "?=", "\"uri\":\"" + uri + "\"", Map.of());
    assertThat(encodedName.body()).contains("-32602").doesNotContain("-32020");
    answers.add(encodedName);

    assertThat(answers).allSatisfy(r -> {
      assertThat(r.statusCode()).as(r.body()).isBetween(400, 499);
      assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
      assertThat(r.body()).doesNotContain("Exception", "\tat ", "at dev.", "at java.", "<html");
    });
    assertThat(gw.send("GET", "/health", null, null).statusCode()).isEqualTo(200);
  }

  // ---------------------------------------------------------------- 3. secrets

  @Test
  void theStatelessUpstreamSeesNeitherTheClientsTokenNorTheGatewaysSecrets() throws Exception {
    ok(aUser, "/mcp", "tools/call", "drafta-test_simple_text", "\"name\":\"drafta-test_simple_text\","
        + "\"arguments\":{}");
    ok(aUser, "/mcp", "tools/call", "drafta-test_header_param", "\"name\":\"drafta-test_header_param\","
        + "\"arguments\":{\"region\":\"eu\"}", Map.of("Mcp-Param-Region", "eu"));
    await().atMost(Duration.ofSeconds(10)).until(() -> proxy.requests().stream()
        .anyMatch(r -> r.contains("test_header_param")));

    String seen = proxy.requestHeaders() + "\n" + String.join("\n", proxy.requests());
    assertThat(proxy.requestHeaders()).allSatisfy(h -> assertThat(h.keySet())
        .noneMatch(k -> k.equalsIgnoreCase("authorization") || k.equalsIgnoreCase("cookie")));
    assertThat(seen).containsIgnoringCase("mcp-param-region").doesNotContain(aUser, aAdmin, platform, JWT_SECRET,
        SECRET_KEY, "admin-pw", "Bearer");
  }

  @Test
  void spansAndLogsOfStatelessRequestsCarryNoToken() throws Exception {
    String token = gw.token("traced", "tenant-a", Role.USER);
    ok(token, "/mcp", "tools/call", "drafta-test_simple_text", "\"name\":\"drafta-test_simple_text\","
        + "\"arguments\":{}");
    String tool = "shared-test_input_required_result_multi_round";
    JsonNode held = ok(token, "/mcp", "tools/call", tool, "\"name\":\"" + tool + "\",\"arguments\":{}");
    stateless(token, "/mcp", "tools/call", tool, "\"name\":\"" + tool + "\",\"arguments\":{},\"requestState\":\""
        + held.at("/result/requestState").asText() + "x\"", Map.of());
    stateless(token, "/mcp", "tools/call", "sessa-test_elicitation", "\"name\":\"sessa-test_elicitation\"",
        Map.of("Mcp-Param-Region", "=?base64?!!?="));
    tracing.await(span -> span.getName().startsWith("tools/call") && span.getAttributes().asMap().values().stream()
        .anyMatch(v -> String.valueOf(v).contains("drafta-test_simple_text")));

    String spans = tracing.spans().toString();
    String logged = String.join("\n", logs.list.stream().map(e -> e.getFormattedMessage() + " "
        + (e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage())).toList());
    for (String secret : List.of(token, token.substring(token.lastIndexOf('.') + 1), aUser, bUser, JWT_SECRET)) {
      assertThat(spans).doesNotContain(secret);
      assertThat(logged).doesNotContain(secret);
    }
  }

  // ---------------------------------------------------------------- 5. authentication and roles

  @Test
  void statelessRequestsNeedAValidTokenAndAUserGetsNoMoreThanOnASession() throws Exception {
    String unsigned = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes(
        StandardCharsets.UTF_8)) + "." + aUser.split("\\.")[1] + ".";
    String forged = aUser.substring(0, aUser.lastIndexOf('.') + 1) + "AAAA";
    for (String token : new String[] {null, "garbage", unsigned, forged}) {
      HttpResponse<String> r = stateless(token, "/mcp", "tools/call", "drafta-test_simple_text",
          "\"name\":\"drafta-test_simple_text\",\"arguments\":{}", Map.of());
      assertThat(r.statusCode()).as(String.valueOf(token)).isEqualTo(401);
      assertThat(r.body()).doesNotContain("simple text response");
    }
    // the plugin chain refuses what it refuses on a session, for everyone and per tenant
    String denied = "sharedsess-test_image_content";
    HttpResponse<String> deniedCall = stateless(aUser, "/mcp", "tools/call", denied, "\"name\":\"" + denied
        + "\",\"arguments\":{}", Map.of());
    assertThat(deniedCall.body()).contains("is denied").doesNotContain("\"image\"");
    assertThat(new McpRpc(gw, aOther).call("tools/call", "{\"name\":\"" + denied + "\",\"arguments\":{}}")
        .toString()).contains("is denied");
    String forB = "sharedsess-test_audio_content";
    String audio = "\"name\":\"" + forB + "\",\"arguments\":{}";
    assertThat(stateless(bUser, "/mcp", "tools/call", forB, audio, Map.of()).body())
        .contains("is denied for tenant tenant-b");
    assertThat(ok(aUser, "/mcp", "tools/call", forB, audio).toString()).contains("audio");
    // the session era's methods are gone, setting another client's log level included
    assertThat(stateless(aUser, "/mcp", "logging/setLevel", null, "\"level\":\"debug\"", Map.of()).statusCode())
        .isEqualTo(404);
    // a user's admin API answers are the same whatever the revision of its MCP requests
    assertThat(gw.send("POST", "/gateways", aUser, "{\"name\":\"mine\",\"transport\":\"statelesshttp\",\"url\":\""
        + upstream.streamableUrl() + "\"}").statusCode()).isEqualTo(403);
  }

  // ---------------------------------------------------------------- helpers

  private static List<String> names(JsonNode items, String member) {
    List<String> names = new ArrayList<>();
    items.forEach(i -> names.add(i.path(member).asText()));
    return names;
  }

  private JsonNode ok(String token, String path, String method, String name, String params) throws Exception {
    return ok(token, path, method, name, params, Map.of());
  }

  private JsonNode ok(String token, String path, String method, String name, String params,
      Map<String, String> headers) throws Exception {
    HttpResponse<String> r = stateless(token, path, method, name, params, headers);
    assertThat(r.statusCode()).as(method + " " + r.body()).isEqualTo(200);
    JsonNode json = TestGateway.JSON.readTree(r.body());
    assertThat(json.has("error")).as(r.body()).isFalse();
    return json;
  }

  private HttpResponse<String> stateless(String token, String path, String method, String name, String params,
      Map<String, String> headers) throws Exception {
    return statelessRaw(token, path, method, name, params, headers, "{}");
  }

  private JsonNode statelessJson(String token, String path, String method, String name, String params,
      Map<String, String> headers, String capabilities) throws Exception {
    return TestGateway.JSON.readTree(statelessRaw(token, path, method, name, params, headers, capabilities).body());
  }

  /** One 2026-07-28 request: {@code params} are the members before {@code _meta} (JSON text, may be empty). */
  private HttpResponse<String> statelessRaw(String token, String path, String method, String name, String params,
      Map<String, String> headers, String capabilities) throws Exception {
    return gw.send(request(token, path, method, name, params, headers, capabilities));
  }

  private HttpRequest request(String token, String path, String method, String name, String params,
      Map<String, String> headers, String capabilities) {
    String body = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"" + method + "\",\"params\":{" + params
        + (params.isEmpty() ? "" : ",") + "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"" + VERSION
        + "\",\"io.modelcontextprotocol/clientCapabilities\":" + capabilities
        + ",\"io.modelcontextprotocol/clientInfo\":{\"name\":\"attacker\",\"version\":\"1\"}}}}";
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.base + path)).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
        .header("MCP-Protocol-Version", VERSION).header("Mcp-Method", method)
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (name != null) {
      b.header("Mcp-Name", name);
    }
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    new LinkedHashMap<>(headers).forEach(b::header);
    return b.build();
  }

  private HttpRequest listenRequest(String token, String path) {
    return request(token, path, "subscriptions/listen", null, "\"notifications\":{\"toolsListChanged\":true,"
        + "\"promptsListChanged\":true,\"resourcesListChanged\":true}", Map.of(), "{}");
  }

  /** Opens a listen stream; the lines it receives, as they come. */
  private List<String> listen(String token, String path) {
    List<String> lines = new CopyOnWriteArrayList<>();
    CompletableFuture<?> f = http.sendAsync(listenRequest(token, path), HttpResponse.BodyHandlers.ofLines())
        .thenAcceptAsync(r -> r.body().forEach(lines::add), readers);
    streams.add(f);
    return lines;
  }
}
