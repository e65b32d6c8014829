package dev.mcpgw.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.mcpgw.gateway.config.GatewaySettings;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenServiceTest {
  private static final byte[] SECRET = "0123456789abcdef0123456789abcdef-test".getBytes(StandardCharsets.UTF_8);
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void aTokenItIssuedVerifiesToTheSameCaller() throws Exception {
    TokenService tokens = TokenService.create(SECRET);
    Caller alice = new Caller("alice", "acme", false);

    assertThat(tokens.verify(tokens.issue(alice, Duration.ofMinutes(5)))).isEqualTo(alice);
    Caller admin = new Caller("root", "ops", true);
    assertThat(tokens.verify(tokens.issue(admin, Duration.ofMinutes(5))).admin()).isTrue();
  }

  @Test
  void everyRoleSurvivesTheRoundTrip() throws Exception {
    TokenService tokens = TokenService.create(SECRET);
    for (Caller.Role role : Caller.Role.values()) {
      Caller caller = new Caller("u", "acme", role);
      assertThat(tokens.verify(tokens.issue(caller, Duration.ofMinutes(5)))).isEqualTo(caller);
    }
  }

  @Test
  void aTokenOfAnEarlierVersionWithAnAdminFlagIsATenantAdminNeverAPlatformAdmin() throws Exception {
    MACSigner signer = new MACSigner(SECRET);
    for (boolean admin : new boolean[] {true, false}) {
      SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().issuer("mcpgw")
          .audience("mcpgw").subject("old").claim("tenant", "acme").claim("admin", admin)
          .issueTime(new Date()).expirationTime(Date.from(Instant.now().plusSeconds(60))).build());
      jwt.sign(signer);

      assertThat(TokenService.create(SECRET).verify(jwt.serialize()).role())
          .isEqualTo(admin ? Caller.Role.TENANT_ADMIN : Caller.Role.USER);
    }
  }

  @Test
  void refusesATokenWithAnUnknownRole() throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().issuer("mcpgw")
        .audience("mcpgw").subject("eve").claim("tenant", "acme").claim("role", "root")
        .issueTime(new Date()).expirationTime(Date.from(Instant.now().plusSeconds(60))).build());
    jwt.sign(new MACSigner(SECRET));

    assertThatThrownBy(() -> TokenService.create(SECRET).verify(jwt.serialize()))
        .isInstanceOf(AuthenticationException.class).hasMessageContaining("role");
  }

  @Test
  void refusesAnExpiredToken() {
    String token = TokenService.create(SECRET, Clock.fixed(T0, ZoneOffset.UTC))
        .issue(new Caller("alice", "acme", false), Duration.ofMinutes(1));
    TokenService later = TokenService.create(SECRET, Clock.fixed(T0.plus(Duration.ofMinutes(5)), ZoneOffset.UTC));

    assertThatThrownBy(() -> later.verify(token)).isInstanceOf(AuthenticationException.class).hasMessageContaining("expired");
  }

  @Test
  void refusesATokenSignedWithAnotherSecret() {
    String token = TokenService.create("another-secret-another-secret-another".getBytes(StandardCharsets.UTF_8))
        .issue(new Caller("mallory", "acme", true), Duration.ofMinutes(5));

    assertThatThrownBy(() -> TokenService.create(SECRET).verify(token))
        .isInstanceOf(AuthenticationException.class).hasMessageContaining("signature");
  }

  @Test
  void refusesAnUnsignedOrTamperedToken() {
    TokenService tokens = TokenService.create(SECRET);
    String token = tokens.issue(new Caller("alice", "acme", false), Duration.ofMinutes(5));
    String[] parts = token.split("\\.");
    String adminClaims = Base64.getUrlEncoder().withoutPadding().encodeToString(
        new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8).replace("\"role\":\"user\"", "\"role\":\"platform_admin\"")
            .getBytes(StandardCharsets.UTF_8));
    String none = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> tokens.verify(parts[0] + "." + adminClaims + "." + parts[2]))
        .isInstanceOf(AuthenticationException.class);
    assertThatThrownBy(() -> tokens.verify(none + "." + parts[1] + ".")).isInstanceOf(AuthenticationException.class);
    assertThatThrownBy(() -> tokens.verify("not-a-jwt")).isInstanceOf(AuthenticationException.class)
        .hasMessageContaining("malformed");
  }

  @Test
  void messagesNeverContainTheToken() {
    TokenService tokens = TokenService.create(SECRET);
    String token = TokenService.create("another-secret-another-secret-another".getBytes(StandardCharsets.UTF_8))
        .issue(new Caller("alice", "acme", false), Duration.ofMinutes(5));

    assertThatThrownBy(() -> tokens.verify(token)).satisfies(e -> assertThat(e.getMessage()).doesNotContain(token));
  }

  private static final Clock AT_T0 = Clock.fixed(T0, ZoneOffset.UTC);

  /** The claims of a token that verifies at {@code T0}, for each test to break one of. */
  private static JWTClaimsSet.Builder validAtT0() {
    return new JWTClaimsSet.Builder().issuer("mcpgw").audience("mcpgw").subject("alice").claim("tenant", "acme")
        .claim("role", "user").issueTime(Date.from(T0.minusSeconds(60)))
        .expirationTime(Date.from(T0.plus(Duration.ofMinutes(10))));
  }

  private static String signed(JWTClaimsSet.Builder claims) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
    jwt.sign(new MACSigner(SECRET));
    return jwt.serialize();
  }

  @Test
  void theHandMadeValidTokenVerifies() throws Exception {
    assertThat(TokenService.create(SECRET, AT_T0).verify(signed(validAtT0())))
        .isEqualTo(new Caller("alice", "acme", Caller.Role.USER));
  }

  @Test
  void refusesATokenOfAnotherIssuer() throws Exception {
    String token = signed(validAtT0().issuer("someone-else"));

    assertThatThrownBy(() -> TokenService.create(SECRET, AT_T0).verify(token))
        .isInstanceOf(AuthenticationException.class).hasMessageContaining("iss");
  }

  @Test
  void refusesATokenWithoutIssuer() throws Exception {
    String token = signed(validAtT0().issuer(null));

    assertThatThrownBy(() -> TokenService.create(SECRET, AT_T0).verify(token))
        .isInstanceOf(AuthenticationException.class).hasMessageContaining("iss");
  }

  @Test
  void refusesATokenForAnotherAudienceOrWithoutOne() throws Exception {
    String other = signed(validAtT0().audience(List.of("billing", "crm")));
    String none = signed(validAtT0().audience((String) null));
    TokenService tokens = TokenService.create(SECRET, AT_T0);

    assertThatThrownBy(() -> tokens.verify(other)).isInstanceOf(AuthenticationException.class).hasMessageContaining("aud");
    assertThatThrownBy(() -> tokens.verify(none)).isInstanceOf(AuthenticationException.class).hasMessageContaining("aud");
  }

  @Test
  void acceptsAnAudienceListThatContainsTheGateways() throws Exception {
    String token = signed(validAtT0().audience(List.of("billing", "mcpgw")));

    assertThat(TokenService.create(SECRET, AT_T0).verify(token).userId()).isEqualTo("alice");
  }

  @Test
  void theConfiguredIssuerAndAudienceAreWhatItIssuesAndRequires() throws Exception {
    GatewaySettings.Jwt rules = new GatewaySettings.Jwt("https://id.example", "gw-eu", Duration.ofDays(1));
    TokenService custom = TokenService.create(SECRET, rules, AT_T0);
    String token = custom.issue(new Caller("alice", "acme", false), Duration.ofMinutes(5));

    assertThat(custom.verify(token).userId()).isEqualTo("alice");
    assertThat(SignedJWT.parse(token).getJWTClaimsSet().getIssuer()).isEqualTo("https://id.example");
    assertThat(SignedJWT.parse(token).getJWTClaimsSet().getAudience()).containsExactly("gw-eu");
    assertThatThrownBy(() -> TokenService.create(SECRET, AT_T0).verify(token))
        .isInstanceOf(AuthenticationException.class);
  }

  @Test
  void refusesATokenNotValidYetBeyondTheClockSkew() throws Exception {
    String token = signed(validAtT0().notBeforeTime(Date.from(T0.plusSeconds(120))));

    assertThatThrownBy(() -> TokenService.create(SECRET, AT_T0).verify(token))
        .isInstanceOf(AuthenticationException.class).hasMessageContaining("nbf");
  }

  @Test
  void acceptsANotBeforeWithinTheClockSkew() throws Exception {
    String token = signed(validAtT0().notBeforeTime(Date.from(T0.plusSeconds(10))));

    assertThat(TokenService.create(SECRET, AT_T0).verify(token).userId()).isEqualTo("alice");
  }

  @Test
  void refusesATokenWithoutIssuedAt() throws Exception {
    String token = signed(validAtT0().issueTime(null));

    assertThatThrownBy(() -> TokenService.create(SECRET, AT_T0).verify(token))
        .isInstanceOf(AuthenticationException.class).hasMessageContaining("iat");
  }

  @Test
  void refusesATokenIssuedInTheFuture() throws Exception {
    String token = signed(validAtT0().issueTime(Date.from(T0.plus(Duration.ofMinutes(5)))));

    assertThatThrownBy(() -> TokenService.create(SECRET, AT_T0).verify(token))
        .isInstanceOf(AuthenticationException.class).hasMessageContaining("future");
  }

  @Test
  void refusesATokenThatLivesLongerThanTheMaximumLifetime() throws Exception {
    String token = signed(validAtT0().issueTime(Date.from(T0.minusSeconds(60)))
        .expirationTime(Date.from(T0.plus(Duration.ofDays(31)))));

    assertThatThrownBy(() -> TokenService.create(SECRET, AT_T0).verify(token))
        .isInstanceOf(AuthenticationException.class).hasMessageContaining("MCPGW_JWT_MAX_LIFETIME");
  }

  @Test
  void refusesToIssueATokenLongerThanTheMaximumLifetimeNamingTheSetting() {
    TokenService tokens = TokenService.create(SECRET, new GatewaySettings.Jwt("mcpgw", "mcpgw", Duration.ofHours(1)),
        AT_T0);

    assertThatThrownBy(() -> tokens.issue(new Caller("alice", "acme", false), Duration.ofHours(2)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MCPGW_JWT_MAX_LIFETIME");
    assertThat(tokens.issue(new Caller("alice", "acme", false), Duration.ofHours(1))).isNotBlank();
  }

  @Test
  void issuedTokensCarryIssuerAudienceIssuedAtAndExpiry() throws Exception {
    String token = TokenService.create(SECRET, AT_T0).issue(new Caller("alice", "acme", false), Duration.ofMinutes(5));
    JWTClaimsSet claims = SignedJWT.parse(token).getJWTClaimsSet();

    assertThat(claims.getIssuer()).isEqualTo("mcpgw");
    assertThat(claims.getAudience()).containsExactly("mcpgw");
    assertThat(claims.getIssueTime().toInstant()).isEqualTo(T0);
    assertThat(claims.getExpirationTime().toInstant()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
  }

  @Test
  void theJwtSettingsFromTheEnvironmentDecideWhatVerifies(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
      throws Exception {
    GatewaySettings.Jwt rules = dev.mcpgw.gateway.config.SettingsLoader.load(java.util.Map.of(
        "MCPGW_JWT_ISSUER", "https://id.example", "MCPGW_JWT_AUDIENCE", "gw-eu", "MCPGW_JWT_MAX_LIFETIME", "2h"), tmp)
        .jwt();
    TokenService configured = TokenService.create(SECRET, rules, AT_T0);
    String byDefaults = TokenService.create(SECRET, AT_T0).issue(new Caller("alice", "acme", false), Duration.ofHours(1));

    assertThat(rules).isEqualTo(new GatewaySettings.Jwt("https://id.example", "gw-eu", Duration.ofHours(2)));
    assertThatThrownBy(() -> configured.verify(byDefaults)).isInstanceOf(AuthenticationException.class);
    assertThat(configured.verify(configured.issue(new Caller("alice", "acme", false), Duration.ofHours(2))).userId())
        .isEqualTo("alice");
    assertThatThrownBy(() -> configured.issue(new Caller("alice", "acme", false), Duration.ofHours(3)))
        .hasMessageContaining("MCPGW_JWT_MAX_LIFETIME");
    assertThat(dev.mcpgw.gateway.config.SettingsLoader.load(java.util.Map.of(), tmp).jwt())
        .isEqualTo(GatewaySettings.Jwt.DEFAULTS);
  }
}
