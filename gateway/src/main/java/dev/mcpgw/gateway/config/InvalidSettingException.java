package dev.mcpgw.gateway.config;

/** A setting with a value the gateway cannot start with. The message names the key and the allowed values. */
public final class InvalidSettingException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String key;

  public InvalidSettingException(String key, String message) {
    super(key + ": " + message);
    this.key = key;
  }

  /** The environment variable name of the offending setting (e.g. {@code MCPGW_PORT}). */
  public String key() {
    return key;
  }
}
