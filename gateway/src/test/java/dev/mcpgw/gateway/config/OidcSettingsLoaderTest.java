package dev.mcpgw.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OidcSettingsLoaderTest {
  @TempDir Path tmp;

  private OidcSettings load(Map<String, String> env) {
    return SettingsLoader.load(env, tmp).oidc();
  }

  @Test
  void withoutProvidersOnlyTheGatewaysOwnTokensAreTrusted() {
    OidcSettings oidc = load(Map.of());

    assertThat(oidc.providers()).isEmpty();
    assertThat(oidc.publicUrl()).isNull();
    assertThat(oidc.jwksRefreshInterval()).isEqualTo(OidcSettings.DEFAULT_JWKS_REFRESH_INTERVAL);
  }

  @Test
  void severalIssuersAreIndexedVariablesWithTheirOwnClaimMappings() {
    Map<String, String> env = new HashMap<>();
    env.put("MCPGW_PUBLIC_URL", "https://mcp.example.com/");
    env.put("MCPGW_OIDC_JWKS_REFRESH_INTERVAL", "5s");
    env.put("MCPGW_OIDC_ISSUER", "https://kc.example.com/realms/acme");
    env.put("MCPGW_OIDC_TENANT", "acme");
    env.put("MCPGW_OIDC_ROLES_CLAIM", "realm_access.roles");
    env.put("MCPGW_OIDC_2_ISSUER", "https://login.example.org/t/v2.0");
    env.put("MCPGW_OIDC_2_JWKS_URL", "https://login.example.org/keys");
    env.put("MCPGW_OIDC_2_AUDIENCE", "api://mcpgw, https://mcp.example.com");
    env.put("MCPGW_OIDC_2_USER_CLAIM", "oid");
    env.put("MCPGW_OIDC_2_TENANT_CLAIM", "tid");
    env.put("MCPGW_OIDC_2_TENANT_ADMIN_ROLE", "Mcp.Admin");
    env.put("MCPGW_OIDC_2_PLATFORM_ADMIN_ROLE", "Mcp.Operator");
    env.put("MCPGW_OIDC_2_REQUIRED_SCOPES", "mcp.call mcp.list");

    OidcSettings oidc = load(env);

    assertThat(oidc.publicUrl()).isEqualTo(URI.create("https://mcp.example.com"));
    assertThat(oidc.jwksRefreshInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(oidc.providers()).containsExactly(
        new OidcSettings.Provider("https://kc.example.com/realms/acme", null, java.util.Set.of(), "sub", null, "acme",
            "realm_access.roles", "mcpgw-tenant-admin", null, java.util.Set.of()),
        new OidcSettings.Provider("https://login.example.org/t/v2.0", URI.create("https://login.example.org/keys"),
            java.util.Set.of("api://mcpgw", "https://mcp.example.com"), "oid", "tid", null, "roles", "Mcp.Admin",
            "Mcp.Operator", java.util.Set.of("mcp.call", "mcp.list")));
  }

  @Test
  void theYamlFileListsProvidersWhenNoVariableDoes() throws Exception {
    Path yaml = tmp.resolve("mcpgw.yaml");
    Files.writeString(yaml, """
        oidc:
          - issuer: https://acme.okta.com/oauth2/default
            audience: api://mcpgw
            tenant_claim: tenant
            roles_claim: groups
            required_scopes: [mcp]
          - issuer: https://auth.globex.example/
            audience: https://mcp.example.com
            tenant: globex
        """);

    OidcSettings oidc = load(Map.of("MCPGW_CONFIG", yaml.toString()));

    assertThat(oidc.providers()).extracting(OidcSettings.Provider::issuer)
        .containsExactly("https://acme.okta.com/oauth2/default", "https://auth.globex.example/");
    assertThat(oidc.providers().get(0).rolesClaim()).isEqualTo("groups");
    assertThat(oidc.providers().get(0).requiredScopes()).containsExactly("mcp");
    assertThat(oidc.providers().get(1).tenant()).isEqualTo("globex");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "MCPGW_OIDC_AUDIENCE|MCPGW_OIDC_ISSUER=https://idp.example.com;MCPGW_OIDC_TENANT=acme",
      "MCPGW_OIDC_TENANT_CLAIM|MCPGW_OIDC_ISSUER=https://idp.example.com;MCPGW_OIDC_AUDIENCE=x",
      "MCPGW_OIDC_TENANT|MCPGW_OIDC_ISSUER=https://idp.example.com;MCPGW_OIDC_AUDIENCE=x;MCPGW_OIDC_TENANT=a;MCPGW_OIDC_TENANT_CLAIM=t",
      "MCPGW_OIDC_ISSUER|MCPGW_OIDC_ISSUER=http://idp.example.com;MCPGW_OIDC_AUDIENCE=x;MCPGW_OIDC_TENANT=a",
      "MCPGW_OIDC_2_ISSUER|MCPGW_OIDC_2_AUDIENCE=x;MCPGW_OIDC_2_TENANT=a",
      "MCPGW_OIDC_AUDIENCES|MCPGW_OIDC_ISSUER=https://idp.example.com;MCPGW_OIDC_AUDIENCES=x;MCPGW_OIDC_TENANT=a",
      "MCPGW_OIDC_1_ISSUER|MCPGW_OIDC_1_ISSUER=https://idp.example.com",
      "MCPGW_OIDC_JWKS_URL|MCPGW_OIDC_ISSUER=acme;MCPGW_OIDC_JWKS_URL=ftp://x/keys;MCPGW_OIDC_AUDIENCE=x;MCPGW_OIDC_TENANT=a",
      "MCPGW_PUBLIC_URL|MCPGW_PUBLIC_URL=mcp.example.com",
      "MCPGW_OIDC_TENANT|MCPGW_OIDC_ISSUER=https://idp.example.com;MCPGW_OIDC_AUDIENCE=x;MCPGW_OIDC_TENANT=a b",
  })
  void aBadProviderSettingStopsStartUpNamingTheKey(String key, String assignments) {
    Map<String, String> env = new HashMap<>();
    for (String a : assignments.split(";")) {
      env.put(a.substring(0, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
    }

    assertThatThrownBy(() -> load(env)).isInstanceOfSatisfying(InvalidSettingException.class,
        e -> assertThat(e.key()).isEqualTo(key));
  }

  @Test
  void anIssuerWithAJwksUrlNeedNotBeAUrl() {
    OidcSettings oidc = load(Map.of("MCPGW_OIDC_ISSUER", "acme-idp", "MCPGW_OIDC_JWKS_URL",
        "http://localhost:8080/keys", "MCPGW_OIDC_AUDIENCE", "mcpgw", "MCPGW_OIDC_TENANT", "acme"));

    assertThat(oidc.providers().get(0).jwksUrl()).isEqualTo(URI.create("http://localhost:8080/keys"));
  }
}
