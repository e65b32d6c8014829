package dev.mcpgw.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
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
          .subject("old").claim("tenant", "acme").claim("admin", admin)
          .expirationTime(Date.from(Instant.now().plusSeconds(60))).build());
      jwt.sign(signer);

      assertThat(TokenService.create(SECRET).verify(jwt.serialize()).role())
          .isEqualTo(admin ? Caller.Role.TENANT_ADMIN : Caller.Role.USER);
    }
  }

  @Test
  void refusesATokenWithAnUnknownRole() throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().issuer("mcpgw")
        .subject("eve").claim("tenant", "acme").claim("role", "root")
        .expirationTime(Date.from(Instant.now().plusSeconds(60))).build());
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
}
