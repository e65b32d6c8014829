package dev.mcpgw.gateway.secret;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Files and directories only the gateway's own user may read: modes 0600 and 0700. */
public final class OwnerOnly {
  static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
  static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");

  private OwnerOnly() {}

  /** Creates {@code dir} and its missing parents with mode 0700; an existing directory is left as it is. */
  public static void directories(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
    }
  }

  /**
   * Creates {@code file} empty with mode 0600 when it does not exist, or sets an existing one to 0600, so that it is
   * never readable by others (SQLite then gives its {@code -wal} and {@code -shm} files the same mode).
   */
  public static void file(Path file) throws IOException {
    if (Files.exists(file)) {
      if (!Files.getPosixFilePermissions(file).equals(FILE)) {
        Files.setPosixFilePermissions(file, FILE);
      }
      return;
    }
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
    } catch (java.nio.file.FileAlreadyExistsException raced) {
      Files.setPosixFilePermissions(file, FILE);
    }
  }
}
