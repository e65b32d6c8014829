package dev.mcpgw.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mcpgw.gateway.config.GatewaySettings;
import dev.mcpgw.gateway.config.InvalidSettingException;
import dev.mcpgw.gateway.config.SettingsLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JwtSecretTest {
  @TempDir Path tmp;

  private GatewaySettings settings(Map<String, String> env) {
    return SettingsLoader.load(env, tmp);
  }

  @Test
  void generatesTheSecretOnceIntoTheDataDirWithMode0600() throws Exception {
    GatewaySettings s = settings(Map.of("MCPGW_DATA_DIR", tmp.resolve("data").toString()));

    byte[] first = JwtSecret.resolve(s);
    byte[] second = JwtSecret.resolve(s);

    Path file = tmp.resolve("data").resolve(JwtSecret.FILE_NAME);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(first).hasSizeGreaterThanOrEqualTo(32).isEqualTo(second);
  }

  @Test
  void usesTheConfiguredSecretAndWritesNoFile() {
    String secret = "a-configured-secret-of-at-least-32-bytes";
    GatewaySettings s = settings(Map.of("MCPGW_DATA_DIR", tmp.toString(), "MCPGW_JWT_SECRET", secret));

    assertThat(new String(JwtSecret.resolve(s), StandardCharsets.UTF_8)).isEqualTo(secret);
    assertThat(tmp.resolve(JwtSecret.FILE_NAME)).doesNotExist();
  }

  @Test
  void refusesASecretFileThatIsTooShort() throws Exception {
    Files.writeString(tmp.resolve(JwtSecret.FILE_NAME), "short");

    assertThatThrownBy(() -> JwtSecret.resolve(settings(Map.of("MCPGW_DATA_DIR", tmp.toString()))))
        .isInstanceOfSatisfying(InvalidSettingException.class, e -> assertThat(e.key()).isEqualTo("MCPGW_DATA_DIR"));
  }
}
