package dev.mcpgw.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgw.gateway.config.GatewaySettings;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sign-in with an external identity provider, end to end: a real OpenID provider ({@code oidc-provider} from npm),
 * the gateway as its resource server (RFC 9728 metadata, RFC 8707 audience binding), server-everything as the
 * upstream, and the TypeScript SDK's OAuth client that discovers the provider from the gateway's metadata.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OidcSignInSecurityTest {
  @TempDir
  static Path dir;
  private OidcProvider provider;
  private Process everything;
  private TestGateway gateway;
  private String publicUrl;
  private String resource;
  private String downIssuer;

  @BeforeAll
  void start() throws Exception {
    provider = OidcProvider.start(dir);
    int everythingPort = NodePeers.freePort();
    everything = NodePeers.startEverything("streamableHttp", everythingPort, dir.resolve("everything.log"));
    int port = NodePeers.freePort();
    publicUrl = "http://127.0.0.1:" + port;
    resource = publicUrl + "/mcp";
    downIssuer = "http://127.0.0.1:" + NodePeers.freePort();
    Map<String, String> env = new HashMap<>();
    env.put("MCPGW_PORT", Integer.toString(port));
    env.put("MCPGW_PUBLIC_URL", publicUrl);
    env.put("MCPGW_OIDC_ISSUER", provider.issuer);
    env.put("MCPGW_OIDC_TENANT_CLAIM", "tenant");
    env.put("MCPGW_OIDC_REQUIRED_SCOPES", "mcp");
    env.put("MCPGW_OIDC_JWKS_REFRESH_INTERVAL", "1ms");
    // a second issuer whose provider is down: the gateway starts, and refuses that issuer's tokens until it answers
    env.put("MCPGW_OIDC_2_ISSUER", downIssuer);
    env.put("MCPGW_OIDC_2_TENANT", "globex");
    GatewaySettings settings = TestGateway.settings(dir, new GatewaySettings.Database(
        "jdbc:sqlite:" + dir.resolve("oidc.db"), null, null, 2), env);
    gateway = TestGateway.startProduction(settings);
    String admin = provider.token("acme-admin", resource);
    HttpResponse<String> registered = gateway.send("POST", "/gateways", admin, TestGateway.JSON.writeValueAsString(
        Map.of("name", "everything", "transport", "streamablehttp",
            "url", "http://127.0.0.1:" + everythingPort + "/mcp")));
    assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
  }

  @AfterAll
  void stop() throws Exception {
    try {
      if (gateway != null) {
        gateway.close();
      }
    } finally {
      if (everything != null) {
        everything.destroy();
      }
      if (provider != null) {
        provider.close();
      }
    }
  }

  @Test
  void aProviderTokenCallsAToolAsItsUserTenantAndRole() throws Exception {
    String user = provider.token("acme-user", resource);

    JsonNode viaMcp = NodePeers.runClient(gateway.base + "/mcp", user, "everything-echo", "{\"message\":\"hi\"}", dir);

    assertThat(viaMcp.at("/call/content/0/text").asText()).isEqualTo("Echo: hi");
    // the role: a user of acme may not register
    HttpResponse<String> write = gateway.send("POST", "/gateways", user,
        "{\"name\":\"nope\",\"transport\":\"streamablehttp\",\"url\":\"http://127.0.0.1:1/mcp\"}");
    assertThat(write.statusCode()).isEqualTo(403);
    // the tenant: acme's upstream is invisible to globex
    assertThat(gateway.get("/tools", user).toString()).contains("everything-echo");
    assertThat(gateway.get("/tools", provider.token("globex-user", resource)).toString())
        .doesNotContain("everything-echo");
  }

  @Test
  void theSdkOAuthClientDiscoversTheProviderFromTheGatewaysMetadataAndCompletesTheFlow() throws Exception {
    JsonNode result = NodePeers.runScript("oauth-client.mjs", Map.of("URL", gateway.base + "/mcp",
        "CLIENT_ID", "acme-user", "CLIENT_SECRET", "acme-user-secret", "SCOPE", "mcp", "ISSUER", provider.issuer,
        "TOOL", "everything-echo", "ARGS", "{\"message\":\"oauth\"}"), dir, java.time.Duration.ofSeconds(60));

    assertThat(result.get("tools")).extracting(JsonNode::asText).contains("everything-echo");
    assertThat(result.at("/call/content/0/text").asText()).isEqualTo("Echo: oauth");
  }

  @Test
  void mcpRemoteSignsInThroughTheProvidersLoginAndConsentAndCallsATool() throws Exception {
    JsonNode result = NodePeers.runScript("mcp-remote-client.mjs", Map.of("URL", gateway.base + "/mcp",
        "CALLBACK_PORT", Integer.toString(NodePeers.freePort()), "CONFIG_DIR", dir.resolve("mcp-auth").toString(),
        "LOGIN", "alice", "TOOL", "everything-echo", "ARGS", "{\"message\":\"bridged\"}"), dir,
        java.time.Duration.ofSeconds(60));

    assertThat(result.get("discovered").asText()).startsWith(provider.issuer);
    assertThat(result.get("tools")).extracting(JsonNode::asText).contains("everything-echo");
    assertThat(result.at("/call/content/0/text").asText()).isEqualTo("Echo: bridged");
  }

  @Test
  void theMetadataNamesTheProviderWithoutAToken() throws Exception {
    HttpResponse<String> perPath = gateway.send("GET", "/.well-known/oauth-protected-resource/mcp", null, null);
    HttpResponse<String> root = gateway.send("GET", "/.well-known/oauth-protected-resource", null, null);
    HttpResponse<String> server = gateway.send("GET", "/.well-known/oauth-protected-resource/servers/x1/mcp", null,
        null);

    assertThat(perPath.statusCode()).isEqualTo(200);
    assertThat(perPath.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("json"));
    JsonNode doc = TestGateway.JSON.readTree(perPath.body());
    assertThat(doc.get("resource").asText()).isEqualTo(resource);
    assertThat(doc.get("authorization_servers")).extracting(JsonNode::asText)
        .containsExactlyInAnyOrder(provider.issuer, downIssuer);
    assertThat(doc.get("scopes_supported")).extracting(JsonNode::asText).containsExactly("mcp");
    assertThat(perPath.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
    HttpResponse<String> preflight = gateway.send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create(gateway.base + "/.well-known/oauth-protected-resource/mcp"))
        .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody())
        .header("Origin", "https://inspector.example").header("Access-Control-Request-Method", "GET")
        .header("Access-Control-Request-Headers", "mcp-protocol-version").build());
    assertThat(preflight.statusCode()).isEqualTo(204);
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers"))
        .hasValueSatisfying(v -> assertThat(v).containsIgnoringCase("mcp-protocol-version"));
    assertThat(TestGateway.JSON.readTree(root.body()).get("resource").asText()).isEqualTo(publicUrl);
    assertThat(TestGateway.JSON.readTree(server.body()).get("resource").asText())
        .isEqualTo(publicUrl + "/servers/x1/mcp");
  }

  @Test
  void theOpenMetadataPathIsNoWayAroundAuthentication() throws Exception {
    for (String path : List.of("/.well-known/oauth-protected-resource/../../gateways",
        "/.well-known/oauth-protected-resource/%2e%2e/%2e%2e/gateways",
        "/.well-known/oauth-protected-resource/..%2f..%2fgateways", "/.well-known/oauth-protected-resource;x=/../gateways")) {
      try (RawHttp http = RawHttp.connect(gateway.app.port(), java.time.Duration.ofSeconds(10))) {
        RawHttp.Response r = http.send("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            .read();

        assertThat(r.body()).as(path).doesNotContain("everything");
        assertThat(r.status()).as(path).isIn(400, 401, 404);
      }
    }
    // the metadata passes the Host check like everything else: no attacker-chosen host in its URLs
    try (RawHttp http = RawHttp.connect(gateway.app.port(), java.time.Duration.ofSeconds(10))) {
      RawHttp.Response r = http.send("GET /.well-known/oauth-protected-resource/mcp HTTP/1.1\r\nHost: evil.example\r\n"
          + "Connection: close\r\n\r\n").read();

      assertThat(r.status()).isEqualTo(403);
      assertThat(r.body()).doesNotContain("evil.example");
    }
  }

  @Test
  void everyRefusalSaysWhyAndWhereTheMetadataIs() throws Exception {
    long now = Instant.now().getEpochSecond();
    Map<String, String> refusals = new java.util.LinkedHashMap<>();
    refusals.put(provider.token("acme-user", "https://other.example.com/mcp"), "audience");
    refusals.put(provider.sign(claims(provider.issuer, now - 3600), "RS256", false), "expired");
    refusals.put(provider.sign(claims("https://unknown.example.com", now + 300), "RS256", false), "issuer");
    refusals.put(provider.sign(claims(provider.issuer, now + 300), "RS256", true), "not in the identity provider");
    refusals.put(provider.sign(claims(downIssuer, now + 300), "RS256", false), "not available");

    for (Map.Entry<String, String> r : refusals.entrySet()) {
      HttpResponse<String> res = gateway.send("POST", "/mcp", r.getKey(), "{}");

      assertThat(res.statusCode()).as(r.getValue()).isEqualTo(401);
      assertThat(res.headers().firstValue("WWW-Authenticate")).as(r.getValue()).hasValueSatisfying(h -> assertThat(h)
          .startsWith("Bearer ").contains("error=\"invalid_token\"").contains(r.getValue())
          .contains("resource_metadata=\"" + publicUrl + "/.well-known/oauth-protected-resource/mcp\""));
      assertThat(res.body()).doesNotContain(r.getKey());
    }
    HttpResponse<String> malformed = gateway.send("GET", "/tools", "not-a-jwt", null);
    assertThat(malformed.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h)
        .contains("error=\"invalid_request\"").contains("malformed").doesNotContain("not-a-jwt"));
    HttpResponse<String> none = gateway.send("GET", "/tools", null, null);
    assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue(
        "Bearer realm=\"mcpgw\", scope=\"mcp\", resource_metadata=\"" + publicUrl
            + "/.well-known/oauth-protected-resource\"");
  }

  @Test
  void aTokenWithoutTheRequiredScopeIsForbiddenWithInsufficientScope() throws Exception {
    Map<String, Object> claims = new HashMap<>(claims(provider.issuer, Instant.now().getEpochSecond() + 300));
    claims.remove("scope");

    HttpResponse<String> res = gateway.send("GET", "/tools", provider.sign(claims, "RS256", false), null);

    assertThat(res.statusCode()).isEqualTo(403);
    assertThat(res.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h)
        .contains("error=\"insufficient_scope\"").contains("scope=\"mcp\"").contains("resource_metadata="));
  }

  @Test
  void es256AndEdDsaTokensOfTheProviderAreAccepted() throws Exception {
    long exp = Instant.now().getEpochSecond() + 300;
    for (String alg : List.of("ES256", "EdDSA", "RS256")) {
      HttpResponse<String> res = gateway.send("GET", "/tools", provider.sign(claims(provider.issuer, exp), alg, false),
          null);

      assertThat(res.statusCode()).as(alg + ": " + res.body()).isEqualTo(200);
    }
  }

  @Test
  void aKeyRotationAtTheProviderKeepsWorkingAndRetiresTheOldKey() throws Exception {
    String before = provider.token("acme-user", resource);
    assertThat(gateway.send("GET", "/tools", before, null).statusCode()).isEqualTo(200);

    provider.restart();
    String after = provider.token("acme-user", resource);

    assertThat(gateway.send("GET", "/tools", after, null).statusCode()).isEqualTo(200);
    HttpResponse<String> old = gateway.send("GET", "/tools", before, null);
    assertThat(old.statusCode()).isEqualTo(401);
    assertThat(old.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h)
        .contains("kid"));
  }

  private Map<String, Object> claims(String iss, long exp) {
    return Map.of("iss", iss, "sub", "carol", "aud", resource, "exp", exp, "tenant", "acme",
        "scope", "mcp");
  }
}
