package dev.mcpgw.gateway.auth;

import dev.mcpgw.gateway.config.GatewaySettings;
import dev.mcpgw.gateway.config.InvalidSettingException;
import dev.mcpgw.gateway.secret.SecretFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The HS256 signing secret: {@code MCPGW_JWT_SECRET} when set, else the text of {@code <data dir>/jwt.secret},
 * generated on first use with mode 0600 so that the server and {@code mcpgw token} agree without configuration.
 */
public final class JwtSecret {
  static final String FILE_NAME = "jwt.secret";

  private JwtSecret() {}

  /**
   * @throws InvalidSettingException naming {@code MCPGW_DATA_DIR} when the secret file cannot be read or created
   */
  public static byte[] resolve(GatewaySettings settings) {
    if (settings.auth().jwtSecret() != null) {
      return settings.auth().jwtSecret().getBytes(StandardCharsets.UTF_8);
    }
    Path file = settings.dataDir().resolve(FILE_NAME);
    try {
      return readOrCreate(file);
    } catch (IOException e) {
      throw new InvalidSettingException("MCPGW_DATA_DIR", "cannot read or create the JWT secret file " + file + " ("
          + e.getClass().getSimpleName() + "); allowed: a writable directory, or set MCPGW_JWT_SECRET");
    }
  }

  static byte[] readOrCreate(Path file) throws IOException {
    byte[] text = SecretFile.readOrCreate(file, 48);
    if (text.length < 32) {
      throw new IOException("secret file holds fewer than 32 bytes");
    }
    return text;
  }
}
