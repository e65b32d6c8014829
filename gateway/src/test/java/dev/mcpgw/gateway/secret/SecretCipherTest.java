package dev.mcpgw.gateway.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SecretCipherTest {
  private static byte[] key(int fill) {
    byte[] k = new byte[32];
    Arrays.fill(k, (byte) fill);
    return k;
  }

  private final SecretCipher cipher = SecretCipher.of(key(1), "MCPGW_SECRET_KEY");

  @Test
  void aValueComesBackFromItsCiphertextWhichHidesItBehindTheVersionedPrefix() {
    String sealed = cipher.encrypt("{\"Authorization\":\"Bearer s3cret\"}", "headers_json");

    assertThat(sealed).startsWith("enc:v1:").doesNotContain("s3cret").doesNotContain("Authorization");
    assertThat(cipher.decrypt(sealed, "headers_json")).isEqualTo("{\"Authorization\":\"Bearer s3cret\"}");
  }

  @Test
  void theSameValueEncryptsDifferentlyEachTimeWithItsOwnNonce() {
    assertThat(cipher.encrypt("same", "url")).isNotEqualTo(cipher.encrypt("same", "url"));
  }

  @Test
  void aValueMovedToAnotherColumnDoesNotDecrypt() {
    String sealed = cipher.encrypt("http://u:p@host/", "url");

    assertThatThrownBy(() -> cipher.decrypt(sealed, "headers_json")).isInstanceOf(SecretKeyMismatchException.class)
        .hasMessageContaining("headers_json").hasMessageNotContaining("u:p");
  }

  @Test
  void anotherKeyFailsNamingItsSettingAndNoValue() {
    String sealed = cipher.encrypt("ENV-SECRET", "env_json");
    SecretCipher other = SecretCipher.of(key(2), "MCPGW_SECRET_KEY_FILE");

    assertThatThrownBy(() -> other.decrypt(sealed, "env_json"))
        .isInstanceOfSatisfying(SecretKeyMismatchException.class,
            e -> assertThat(e.keySource()).isEqualTo("MCPGW_SECRET_KEY_FILE"))
        .hasMessageContaining("env_json").hasMessageNotContaining("ENV-SECRET");
  }

  @Test
  void aPlaintextValueWrittenBeforeEncryptionReadsAsItIsAndNullStaysNull() {
    assertThat(cipher.decrypt("[\"--flag\"]", "args_json")).isEqualTo("[\"--flag\"]");
    assertThat(SecretCipher.isEncrypted("[\"--flag\"]")).isFalse();
    assertThat(cipher.encrypt(null, "url")).isNull();
    assertThat(cipher.decrypt(null, "url")).isNull();
  }

  @Test
  void aDamagedValueFailsInsteadOfReturningGarbage() {
    String sealed = cipher.encrypt("value", "url");
    String damaged = sealed.substring(0, sealed.length() - 4) + (sealed.endsWith("AAAA") ? "BBBB" : "AAAA");

    assertThatThrownBy(() -> cipher.decrypt(damaged, "url")).isInstanceOf(SecretKeyMismatchException.class);
    assertThatThrownBy(() -> cipher.decrypt("enc:v1:!!", "url")).isInstanceOf(SecretKeyMismatchException.class);
  }
}
