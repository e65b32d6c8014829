package dev.mcpgw.gateway.secret;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A generated secret kept in a file of the data directory: read when it exists, else created with mode 0600 holding
 * the base64url text of fresh random bytes. Used for the JWT secret and the registry's encryption key.
 */
public final class SecretFile {
  private SecretFile() {}

  /**
   * The file's text (stripped), creating it first with {@code randomBytes} random bytes when it does not exist.
   *
   * @throws IOException when it can be neither read nor created
   */
  public static byte[] readOrCreate(Path file, int randomBytes) throws IOException {
    OwnerOnly.directories(file.getParent());
    if (!Files.exists(file)) {
      byte[] random = new byte[randomBytes];
      new SecureRandom().nextBytes(random);
      byte[] text = Base64.getUrlEncoder().withoutPadding().encode(random);
      try {
        // created with 0600 from the first byte: there is no moment at which another user could read it
        Files.createFile(file, PosixFilePermissions.asFileAttribute(OwnerOnly.FILE));
        Files.write(file, text, StandardOpenOption.TRUNCATE_EXISTING);
        return text;
      } catch (FileAlreadyExistsException raced) {
        // another process (server or token command) created it first: use theirs
      }
    }
    return Files.readString(file, StandardCharsets.UTF_8).strip().getBytes(StandardCharsets.UTF_8);
  }
}
