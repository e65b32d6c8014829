package dev.mcpgw.observability.config;

/**
 * A configuration value that cannot be used. Thrown only at start-up; the message names the key (environment variable
 * or YAML path) and the allowed values, and never contains the value of a secret.
 */
public final class ObservabilityConfigException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public ObservabilityConfigException(String message) {
    super(message);
  }

  public ObservabilityConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
