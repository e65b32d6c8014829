package dev.mcpgw.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mcpgw.gateway.auth.Caller;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's pages: login and its cookie, CSRF on its forms, a strict CSP, tenant scope, and span values rendered
 * as text (a tool name a client sends as {@code <img src=x onerror=alert(1)>} stays inert).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleSecurityTest {
  static final String XSS = "<img src=x onerror=alert(1)>";
  @TempDir static Path tmp;
  private StoreGateway store;
  private String alice;
  private String echoTrace;
  private String xssTrace;

  @BeforeAll
  void start() throws Exception {
    store = StoreGateway.start(tmp, Map.of());
    alice = store.gw.token("alice", "acme", Caller.Role.USER);
    store.callTool(alice, "demo-echo", "{\"message\":\"hi\"}", "console-echo");
    echoTrace = store.awaitTrace("console-echo");
    store.callTool(alice, XSS, "{\"message\":\"" + XSS.replace("\"", "\\\"") + "\"}", "console-xss");
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> store.gw
        .get("/observability/traces?requestId=console-xss", alice).path("traces").size() == 1);
    xssTrace = store.gw.get("/observability/traces?requestId=console-xss", alice).at("/traces/0/traceId").asText();
  }

  @AfterAll
  void stop() {
    store.close();
  }

  private HttpResponse<String> get(String path, String token, String cookie) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(store.gw.base + path)).GET();
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (cookie != null) {
      b.header("Cookie", cookie);
    }
    return store.gw.send(b.build());
  }

  private HttpResponse<String> postForm(String path, String form, String cookie, String origin) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(store.gw.base + path))
        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form));
    if (cookie != null) {
      b.header("Cookie", cookie);
    }
    if (origin != null) {
      b.header("Origin", origin);
    }
    return store.gw.send(b.build());
  }

  /** The CSRF cookie and hidden field of a fresh login page. */
  private String[] loginPage() throws Exception {
    HttpResponse<String> page = get("/console/login", null, null);
    assertThat(page.statusCode()).isEqualTo(200);
    String setCookie = page.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("mcpgw_csrf="))
        .findFirst().orElseThrow();
    Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page.body());
    assertThat(m.find()).isTrue();
    return new String[] {setCookie.substring(0, setCookie.indexOf(';')), m.group(1)};
  }

  @Test
  void withoutASessionThePagesRedirectToTheLoginPage() throws Exception {
    for (String path : List.of("/console/", "/console/traces", "/console/traces/" + echoTrace, "/console/registry")) {
      HttpResponse<String> r = get(path, null, null);
      assertThat(r.statusCode()).as(path).isEqualTo(302);
      assertThat(r.headers().firstValue("Location").orElseThrow()).endsWith("/console/login");
    }
    assertThat(get("/console/", null, "mcpgw_console=not-a-token").statusCode()).isEqualTo(302);
  }

  @Test
  void aTokenLoginSetsAnHttpOnlyStrictSessionCookieThatOpensThePagesAndTheApi() throws Exception {
    String[] csrf = loginPage();
    HttpResponse<String> login = postForm("/console/login", "csrf=" + csrf[1] + "&token=" + alice, csrf[0],
        store.gw.base);
    assertThat(login.statusCode()).isEqualTo(302);
    String session = login.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("mcpgw_console="))
        .findFirst().orElseThrow();
    assertThat(session).containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Strict").contains("Path=/");
    String cookie = session.substring(0, session.indexOf(';'));
    assertThat(get("/console/", null, cookie).body()).contains("alice").contains("Log out");
    assertThat(get("/observability/traces?requestId=console-echo", null, cookie).body()).contains(echoTrace);
    // the cookie opens nothing else: the admin API and MCP still want the header
    assertThat(get("/gateways", null, cookie).statusCode()).isEqualTo(401);
  }

  @Test
  void adminBasicAuthLogsInAsWell() throws Exception {
    String[] csrf = loginPage();
    HttpResponse<String> login = postForm("/console/login", "csrf=" + csrf[1] + "&user=admin&password=admin-pw",
        csrf[0], null);
    assertThat(login.statusCode()).isEqualTo(302);
    String session = login.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("mcpgw_console="))
        .findFirst().orElseThrow();
    assertThat(get("/console/registry", null, session.substring(0, session.indexOf(';'))).body()).contains("demo-echo");
  }

  @Test
  void aLoginWithoutTheCsrfTokenOrFromAnotherOriginIsRefusedAndSetsNoSession() throws Exception {
    String[] csrf = loginPage();
    for (HttpResponse<String> r : List.of(
        postForm("/console/login", "token=" + alice, csrf[0], null),
        postForm("/console/login", "csrf=wrong&token=" + alice, csrf[0], null),
        postForm("/console/login", "csrf=" + csrf[1] + "&token=" + alice, null, null),
        postForm("/console/login", "csrf=" + csrf[1] + "&token=" + alice, csrf[0], "https://evil.example"),
        postForm("/console/logout", "csrf=wrong", csrf[0] + "; mcpgw_console=" + alice, null))) {
      assertThat(r.statusCode()).isEqualTo(403);
      assertThat(r.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("mcpgw_console="));
    }
  }

  @Test
  void aWrongTokenIsRefusedWithoutEchoingIt() throws Exception {
    String[] csrf = loginPage();
    HttpResponse<String> r = postForm("/console/login", "csrf=" + csrf[1] + "&token=secret-guess-123", csrf[0], null);
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.body()).contains("Login failed").doesNotContain("secret-guess-123");
  }

  @Test
  void everyPageHasAStrictContentSecurityPolicy() throws Exception {
    for (String path : List.of("/console/", "/console/login", "/console/traces", "/console/traces/" + echoTrace,
        "/console/registry", "/console/usage")) {
      HttpResponse<String> r = get(path, alice, null);
      assertThat(r.statusCode()).as(path).isEqualTo(200);
      String csp = r.headers().firstValue("Content-Security-Policy").orElseThrow();
      assertThat(csp).contains("default-src 'none'", "script-src 'self'", "style-src 'self'",
          "frame-ancestors 'none'").doesNotContain("unsafe-inline", "unsafe-eval");
      assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
      assertThat(r.body()).doesNotContain("<script>", "style=\"", " onclick=");
    }
  }

  @Test
  void aClientSentToolNameWithMarkupRendersAsTextInTheListTheWaterfallAndTheOverview() throws Exception {
    // the overview's chart legends and tooltips name tools too
    for (String path : List.of("/console/traces?requestId=console-xss", "/console/traces/" + xssTrace, "/console/")) {
      String body = get(path, alice, null).body();
      assertThat(body).doesNotContain(XSS).contains("&lt;img src=x onerror=alert(1)&gt;");
    }
  }

  @Test
  void aUserOfAnotherTenantGetsNotFoundForTheTraceAndNoneInTheList() throws Exception {
    String bob = store.gw.token("bob", "globex", Caller.Role.USER);
    HttpResponse<String> page = get("/console/traces/" + echoTrace, bob, null);
    assertThat(page.statusCode()).isEqualTo(404);
    assertThat(page.body()).doesNotContain("alice", "demo-echo");
    assertThat(get("/console/traces", bob, null).body()).doesNotContain(echoTrace, "alice");
  }

  @Test
  void theOpenLoginAndAssetPathsOpenNothingElseWhateverDotSegmentsOrEncodingsTheyCarry() throws Exception {
    for (String path : List.of("/console/assets/../traces", "/console/assets/../../observability/traces",
        "/console/assets/%2e%2e/traces", "/console/assets/%2e%2e/%2e%2e/observability/traces",
        "/console/login/../../observability/traces", "/console/assets/..;/..;/observability/traces")) {
      try (RawHttp raw = RawHttp.connect(store.gw.app.port(), Duration.ofSeconds(10))) {
        RawHttp.Response r = raw.send("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            .read();
        assertThat(r.status()).as(path).isIn(302, 400, 401, 404);
        assertThat(r.body()).as(path).doesNotContain(echoTrace, "alice", "traceId");
      }
    }
  }
}
