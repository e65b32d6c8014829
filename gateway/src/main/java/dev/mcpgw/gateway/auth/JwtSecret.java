package dev.mcpgw.gateway.auth;

import dev.mcpgw.gateway.config.GatewaySettings;
import dev.mcpgw.gateway.config.InvalidSettingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * The HS256 signing secret: {@code MCPGW_JWT_SECRET} when set, else the text of {@code <data dir>/jwt.secret},
 * generated on first use with mode 0600 so that the server and {@code mcpgw token} agree without configuration.
 */
public final class JwtSecret {
  static final String FILE_NAME = "jwt.secret";
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

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
    Files.createDirectories(file.getParent());
    if (!Files.exists(file)) {
      byte[] random = new byte[48];
      new SecureRandom().nextBytes(random);
      byte[] text = Base64.getUrlEncoder().withoutPadding().encode(random);
      try {
        // created with 0600 from the first byte: there is no moment at which another user could read it
        Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        Files.write(file, text, StandardOpenOption.TRUNCATE_EXISTING);
        return text;
      } catch (FileAlreadyExistsException raced) {
        // another process (server or token command) created it first: use theirs
      }
    }
    byte[] text = Files.readString(file, StandardCharsets.UTF_8).strip().getBytes(StandardCharsets.UTF_8);
    if (text.length < 32) {
      throw new IOException("secret file holds fewer than 32 bytes");
    }
    return text;
  }
}
