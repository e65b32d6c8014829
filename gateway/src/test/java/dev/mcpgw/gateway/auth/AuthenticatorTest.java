package dev.mcpgw.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mcpgw.gateway.config.SettingsLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthenticatorTest {
  private static final String SECRET = "0123456789abcdef0123456789abcdef-test";
  @TempDir Path tmp;

  private Authenticator authenticator(Map<String, String> env) {
    var settings = SettingsLoader.load(env, tmp);
    return Authenticator.create(settings, TokenService.create(SECRET.getBytes(StandardCharsets.UTF_8)));
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void acceptsBearerTokensAndTheBasicAuthAdmin() throws Exception {
    Authenticator auth = authenticator(Map.of("MCPGW_ADMIN_PASSWORD", "pw-123"));
    String token = TokenService.create(SECRET.getBytes(StandardCharsets.UTF_8))
        .issue(new Caller("bob", "acme", false), Duration.ofMinutes(1));

    assertThat(auth.authenticate("Bearer " + token)).isEqualTo(new Caller("bob", "acme", false));
    assertThat(auth.authenticate(basic("admin", "pw-123"))).isEqualTo(new Caller("admin", "default", Caller.Role.PLATFORM_ADMIN));
  }

  @Test
  void refusesMissingWrongAndUnknownCredentials() {
    Authenticator auth = authenticator(Map.of("MCPGW_ADMIN_PASSWORD", "pw-123"));

    assertThatThrownBy(() -> auth.authenticate(null)).hasMessageContaining("authentication required");
    assertThatThrownBy(() -> auth.authenticate(basic("admin", "wrong"))).hasMessageContaining("invalid basic");
    assertThatThrownBy(() -> auth.authenticate("Digest abc")).hasMessageContaining("unsupported");
    assertThatThrownBy(() -> auth.authenticate("Basic !!!")).hasMessageContaining("malformed");
  }

  @Test
  void basicAuthIsOffWithoutAnAdminPassword() {
    assertThatThrownBy(() -> authenticator(Map.of()).authenticate(basic("admin", "")))
        .hasMessageContaining("MCPGW_ADMIN_PASSWORD");
  }

  @Test
  void withAuthNotRequiredEveryoneIsTheAnonymousCaller() throws Exception {
    Authenticator auth = authenticator(Map.of("MCPGW_AUTH_REQUIRED", "false"));

    assertThat(auth.authenticate(null)).isEqualTo(Caller.ANONYMOUS);
    assertThat(auth.authenticate("Bearer garbage").userId()).isEqualTo("anonymous");
  }

  @Test
  void aTokenIsVerifiedOnceAndServedFromTheCacheAfterwardsWhileRefusalsAreNeverCached() throws Exception {
    Authenticator auth = authenticator(Map.of());
    TokenService tokens = TokenService.create(SECRET.getBytes(StandardCharsets.UTF_8));
    String alice = tokens.issue(new Caller("alice", "acme", Caller.Role.USER), Duration.ofMinutes(5));
    String bob = tokens.issue(new Caller("bob", "globex", Caller.Role.TENANT_ADMIN), Duration.ofMinutes(5));

    assertThat(auth.authenticate("Bearer " + alice)).isEqualTo(new Caller("alice", "acme", Caller.Role.USER));
    assertThat(auth.authenticate("Bearer " + alice)).isEqualTo(new Caller("alice", "acme", Caller.Role.USER));
    assertThat(auth.authenticate("Bearer " + bob)).isEqualTo(new Caller("bob", "globex", Caller.Role.TENANT_ADMIN));
    assertThat(((Authenticator.Required) auth).cachedTokens()).isEqualTo(2);

    // a token signed with another secret, and alice's token with its signature changed, are refused every time
    String forged = TokenService.create("another-secret-0123456789abcdef-xyz".getBytes(StandardCharsets.UTF_8))
        .issue(new Caller("alice", "acme", Caller.Role.PLATFORM_ADMIN), Duration.ofMinutes(5));
    String tampered = alice.substring(0, alice.length() - 2) + (alice.endsWith("AA") ? "BB" : "AA");
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> auth.authenticate("Bearer " + forged)).isInstanceOf(AuthenticationException.class);
      assertThatThrownBy(() -> auth.authenticate("Bearer " + tampered)).isInstanceOf(AuthenticationException.class);
    }
    assertThat(((Authenticator.Required) auth).cachedTokens()).isEqualTo(2);
  }

  @Test
  void mcpgwAuthCacheSizeZeroTurnsTheCacheOff() throws Exception {
    Authenticator auth = authenticator(Map.of("MCPGW_AUTH_CACHE_SIZE", "0"));
    String token = TokenService.create(SECRET.getBytes(StandardCharsets.UTF_8))
        .issue(new Caller("alice", "acme", Caller.Role.USER), Duration.ofMinutes(5));

    assertThat(auth.authenticate("Bearer " + token).userId()).isEqualTo("alice");
    assertThat(auth.authenticate("Bearer " + token).userId()).isEqualTo("alice");
    assertThat(((Authenticator.Required) auth).cachedTokens()).isZero();
  }

  @Test
  void mcpgwAuthCacheSizeBoundsTheCachedTokens() throws Exception {
    Authenticator auth = authenticator(Map.of("MCPGW_AUTH_CACHE_SIZE", "3"));
    TokenService tokens = TokenService.create(SECRET.getBytes(StandardCharsets.UTF_8));
    for (int i = 0; i < 10; i++) {
      auth.authenticate("Bearer " + tokens.issue(new Caller("u" + i, "acme", Caller.Role.USER), Duration.ofMinutes(5)));
      assertThat(((Authenticator.Required) auth).cachedTokens()).isLessThanOrEqualTo(3);
    }
  }
}
