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
}
