package dev.mcpgw.gateway.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mcpgw.gateway.config.GatewaySettings;
import dev.mcpgw.gateway.config.InvalidSettingException;
import dev.mcpgw.gateway.config.SettingsLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretKeysTest {
  @TempDir Path tmp;

  private GatewaySettings.Secrets settings(Map<String, String> env) {
    return SettingsLoader.load(env, tmp).secrets();
  }

  @Test
  void withoutAConfiguredKeyOneIsGeneratedOnceIntoTheDataDirWithMode0600() throws Exception {
    GatewaySettings.Secrets s = settings(Map.of("MCPGW_DATA_DIR", tmp.resolve("data").toString()));

    String sealed = SecretKeys.resolve(s).encrypt("v", "url");

    Path file = tmp.resolve("data").resolve("secret.key");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
    assertThat(SecretKeys.resolve(s).decrypt(sealed, "url")).isEqualTo("v");
  }

  @Test
  void theKeyFileSettingPointsElsewhere() {
    Path file = tmp.resolve("keys").resolve("registry.key");
    GatewaySettings.Secrets s = settings(Map.of("MCPGW_DATA_DIR", tmp.toString(),
        "MCPGW_SECRET_KEY_FILE", file.toString()));

    SecretKeys.resolve(s);

    assertThat(file).exists();
    assertThat(tmp.resolve("secret.key")).doesNotExist();
  }

  @Test
  void aConfiguredKeyIsUsedAndNoFileWritten() {
    byte[] key = new byte[32];
    key[0] = 7;
    String base64 = Base64.getEncoder().encodeToString(key);
    GatewaySettings.Secrets s = settings(Map.of("MCPGW_DATA_DIR", tmp.toString(), "MCPGW_SECRET_KEY", base64));

    String sealed = SecretKeys.resolve(s).encrypt("v", "url");

    assertThat(SecretCipher.of(key, "test").decrypt(sealed, "url")).isEqualTo("v");
    assertThat(tmp.resolve("secret.key")).doesNotExist();
  }

  @Test
  void aKeyThatIsNot32BytesOfBase64IsRefusedNamingTheSettingAndNotTheValue() {
    for (String bad : new String[] {"c2hvcnQ=", "not base64 at all!!", Base64.getEncoder().encodeToString(new byte[31])}) {
      GatewaySettings.Secrets s = settings(Map.of("MCPGW_DATA_DIR", tmp.toString(), "MCPGW_SECRET_KEY", bad));

      assertThatThrownBy(() -> SecretKeys.resolve(s))
          .isInstanceOfSatisfying(InvalidSettingException.class, e -> assertThat(e.key()).isEqualTo("MCPGW_SECRET_KEY"))
          .hasMessageNotContaining(bad);
    }
  }

  @Test
  void aKeyFileThatHoldsNoKeyIsRefusedNamingTheFileSetting() throws Exception {
    Files.writeString(tmp.resolve("secret.key"), "short");

    assertThatThrownBy(() -> SecretKeys.resolve(settings(Map.of("MCPGW_DATA_DIR", tmp.toString()))))
        .isInstanceOfSatisfying(InvalidSettingException.class,
            e -> assertThat(e.key()).isEqualTo("MCPGW_SECRET_KEY_FILE"));
  }
}
