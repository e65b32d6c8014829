package dev.mcpgw.gateway.secret;

/** A stored value that does not decrypt with the configured key. Names the column and the key's source only. */
public final class SecretKeyMismatchException extends RuntimeException {
  private final String keySource;

  SecretKeyMismatchException(String column, String keySource) {
    super("a value of column " + column + " does not decrypt with the key from " + keySource
        + " (another key encrypted it, or it is damaged)", null, false, false);
    this.keySource = keySource;
  }

  /** The setting the key came from ({@code MCPGW_SECRET_KEY} or {@code MCPGW_SECRET_KEY_FILE}): the one to correct. */
  public String keySource() {
    return keySource;
  }
}
