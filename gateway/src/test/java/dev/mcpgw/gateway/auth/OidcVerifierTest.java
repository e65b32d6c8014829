package dev.mcpgw.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.mcpgw.gateway.config.OidcSettings;
import java.net.URI;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OidcVerifierTest {
  private final ProviderKeysTest.MovableClock clock = new ProviderKeysTest.MovableClock();
  private RSAKey key;
  private KeyServer idp;

  @BeforeEach
  void start() throws Exception {
    key = new RSAKeyGenerator(2048).keyID("k1").algorithm(JWSAlgorithm.RS256).generate();
    idp = new KeyServer(new JWKSet(key));
  }

  @AfterEach
  void stop() {
    idp.close();
  }

  private OidcSettings.Provider provider(String tenantClaim, String tenant, String rolesClaim, String platformRole) {
    return new OidcSettings.Provider(idp.issuer(), idp.jwks(), Set.of("api://mcpgw"), "sub", tenantClaim, tenant,
        rolesClaim, "mcpgw-tenant-admin", platformRole, Set.of());
  }

  private OidcVerifier verifier(OidcSettings.Provider p, URI publicUrl) {
    return OidcVerifier.create(new OidcSettings(publicUrl, Duration.ofSeconds(30), List.of(p)), clock);
  }

  private SignedJWT token(UnaryOperator<JWTClaimsSet.Builder> claims) throws Exception {
    Date now = Date.from(clock.instant());
    JWTClaimsSet.Builder b = new JWTClaimsSet.Builder().issuer(idp.issuer()).subject("carol").audience("api://mcpgw")
        .issueTime(now).expirationTime(Date.from(clock.instant().plusSeconds(300)));
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(), claims.apply(b).build());
    jwt.sign(new RSASSASigner(key));
    return SignedJWT.parse(jwt.serialize());
  }

  private static AuthFailure failureOf(OidcVerifier v, SignedJWT jwt) {
    try {
      v.verify(jwt);
    } catch (AuthenticationException e) {
      return e.failure();
    }
    throw new AssertionError("accepted");
  }

  @Test
  void keycloakRealmRolesInANestedClaimMakeATenantAdmin() throws Exception {
    OidcVerifier v = verifier(provider("tenant", null, "realm_access.roles", null), null);

    OidcVerifier.Verified verified = v.verify(token(b -> b.claim("tenant", "acme")
        .claim("realm_access", Map.of("roles", List.of("offline_access", "mcpgw-tenant-admin")))));

    assertThat(verified.caller()).isEqualTo(new Caller("carol", "acme", Caller.Role.TENANT_ADMIN));
    assertThat(verified.issuer()).isEqualTo(idp.issuer());
  }

  @Test
  void aNamespacedRolesClaimIsReadAsItIsAndThePlatformRoleOnlyWhenConfigured() throws Exception {
    String claim = "https://mcpgw.example.com/roles";
    SignedJWT jwt = token(b -> b.claim(claim, List.of("mcpgw-platform-admin")));

    assertThat(verifier(provider(null, "acme", claim, "mcpgw-platform-admin"), null).verify(jwt).caller().role())
        .isEqualTo(Caller.Role.PLATFORM_ADMIN);
    assertThat(verifier(provider(null, "acme", claim, null), null).verify(jwt).caller())
        .isEqualTo(new Caller("carol", "acme", Caller.Role.USER));
  }

  @Test
  void aTokenWithoutTheTenantClaimIsRefused() throws Exception {
    assertThat(failureOf(verifier(provider("tenant", null, "roles", null), null), token(b -> b)))
        .isEqualTo(AuthFailure.MISSING_CLAIM);
  }

  @Test
  void withoutConfiguredAudiencesAResourceUnderThePublicUrlIsThisGateway() throws Exception {
    OidcSettings.Provider p = new OidcSettings.Provider(idp.issuer(), idp.jwks(), Set.of(), "sub", null, "acme", "roles",
        "mcpgw-tenant-admin", null, Set.of());
    OidcVerifier v = verifier(p, URI.create("https://mcp.example.com"));

    assertThat(v.verify(token(b -> b.audience("https://mcp.example.com/servers/s1/mcp"))).caller().userId())
        .isEqualTo("carol");
    assertThat(failureOf(v, token(b -> b.audience("https://mcp.example.com.evil.net/mcp"))))
        .isEqualTo(AuthFailure.WRONG_AUDIENCE);
    assertThat(failureOf(v, token(b -> b.audience(List.of())))).isEqualTo(AuthFailure.WRONG_AUDIENCE);
  }

  @Test
  void timesAreCheckedWithTheClockSkew() throws Exception {
    OidcVerifier v = verifier(provider(null, "acme", "roles", null), null);
    Date past = Date.from(clock.instant().minus(OidcVerifier.CLOCK_SKEW).minusSeconds(1));
    Date withinSkew = Date.from(clock.instant().minus(OidcVerifier.CLOCK_SKEW).plusSeconds(1));
    Date future = Date.from(clock.instant().plus(OidcVerifier.CLOCK_SKEW).plusSeconds(1));

    assertThat(failureOf(v, token(b -> b.expirationTime(past)))).isEqualTo(AuthFailure.EXPIRED);
    assertThat(v.verify(token(b -> b.expirationTime(withinSkew))).caller().userId()).isEqualTo("carol");
    assertThat(failureOf(v, token(b -> b.notBeforeTime(future)))).isEqualTo(AuthFailure.NOT_YET_VALID);
    assertThat(failureOf(v, token(b -> b.expirationTime(null)))).isEqualTo(AuthFailure.MISSING_CLAIM);
  }

  @Test
  void anHmacTokenNamingTheProviderIsRefusedWhateverItsKey() throws Exception {
    OidcVerifier v = verifier(provider(null, "acme", "roles", null), null);
    SignedJWT hs = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().issuer(idp.issuer())
        .subject("mallory").audience("api://mcpgw").expirationTime(Date.from(clock.instant().plusSeconds(60))).build());
    // signed with the provider's public modulus as the HMAC secret: the classic algorithm confusion
    hs.sign(new MACSigner(key.toPublicJWK().getModulus().decode()));

    assertThat(failureOf(v, SignedJWT.parse(hs.serialize()))).isEqualTo(AuthFailure.ALGORITHM);
  }

  @Test
  void aTokenOfAnotherIssuerIsRefusedWithoutFetchingAnything() throws Exception {
    OidcVerifier v = verifier(provider(null, "acme", "roles", null), null);

    assertThat(failureOf(v, token(b -> b.issuer("https://evil.example.com")))).isEqualTo(AuthFailure.UNKNOWN_ISSUER);
    assertThat(idp.jwksFetches).hasValue(0);
  }

  @Test
  void aRequiredScopeThatIsMissingIsInsufficientScope() throws Exception {
    OidcSettings.Provider p = new OidcSettings.Provider(idp.issuer(), idp.jwks(), Set.of("api://mcpgw"), "sub", null,
        "acme", "roles", "mcpgw-tenant-admin", null, Set.of("mcp"));
    OidcVerifier v = verifier(p, null);

    assertThat(v.verify(token(b -> b.claim("scp", List.of("mcp", "other")))).caller().userId()).isEqualTo("carol");
    assertThatThrownBy(() -> v.verify(token(b -> b.claim("scope", "openid profile"))))
        .isInstanceOfSatisfying(AuthenticationException.class, e -> {
          assertThat(e.failure()).isEqualTo(AuthFailure.INSUFFICIENT_SCOPE);
          assertThat(e.failure().status()).isEqualTo(403);
          assertThat(e.scope()).isEqualTo("mcp");
        });
  }
}
