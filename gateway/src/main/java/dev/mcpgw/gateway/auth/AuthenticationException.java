package dev.mcpgw.gateway.auth;

/** Credentials that do not authenticate anyone. The message says why, never what the credentials were. */
public final class AuthenticationException extends Exception {
  private static final long serialVersionUID = 1L;

  public AuthenticationException(String message) {
    super(message, null, false, false);
  }
}
