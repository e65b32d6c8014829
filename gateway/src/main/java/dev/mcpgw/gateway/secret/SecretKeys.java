package dev.mcpgw.gateway.secret;

import dev.mcpgw.gateway.config.GatewaySettings;
import dev.mcpgw.gateway.config.InvalidSettingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The registry's encryption key: {@code MCPGW_SECRET_KEY} (base64 of 32 bytes) when set, else the key file
 * {@code MCPGW_SECRET_KEY_FILE} ({@code <data dir>/secret.key} by default), generated on first use with mode 0600.
 */
public final class SecretKeys {
  static final String KEY = "MCPGW_SECRET_KEY";
  static final String KEY_FILE = "MCPGW_SECRET_KEY_FILE";

  private SecretKeys() {}

  /**
   * @throws InvalidSettingException naming {@code MCPGW_SECRET_KEY} or {@code MCPGW_SECRET_KEY_FILE} when the key is
   *     not 32 bytes of base64, or the file can be neither read nor created
   */
  public static SecretCipher resolve(GatewaySettings.Secrets settings) {
    if (settings.key() != null) {
      return SecretCipher.of(decode(settings.key(), KEY), KEY);
    }
    Path file = settings.keyFile();
    String text;
    try {
      text = new String(SecretFile.readOrCreate(file, SecretCipher.KEY_BYTES), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new InvalidSettingException(KEY_FILE, "cannot read or create the key file " + file + " ("
          + e.getClass().getSimpleName() + "); allowed: a readable file holding the base64 of 32 bytes, in a writable "
          + "directory, or set " + KEY);
    }
    return SecretCipher.of(decode(text, KEY_FILE), KEY_FILE);
  }

  /** The 32 bytes of a base64 (standard or URL alphabet, padded or not) text. */
  static byte[] decode(String text, String setting) {
    String t = text.strip().replace('+', '-').replace('/', '_');
    while (t.endsWith("=")) {
      t = t.substring(0, t.length() - 1);
    }
    byte[] key;
    try {
      key = java.util.Base64.getUrlDecoder().decode(t);
    } catch (IllegalArgumentException e) {
      throw notAKey(setting);
    }
    if (key.length != SecretCipher.KEY_BYTES) {
      throw notAKey(setting);
    }
    return key;
  }

  private static InvalidSettingException notAKey(String setting) {
    return new InvalidSettingException(setting, "the value is not an AES-256 key; allowed: the base64 of exactly "
        + "32 bytes (e.g. `openssl rand -base64 32`)");
  }
}
