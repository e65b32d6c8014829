package dev.mcpgw.gateway.auth;

import java.util.Objects;

/**
 * Credentials that do not authenticate anyone (or lack a scope). The message says why, never what the credentials
 * were; the {@link AuthFailure} is the bounded code that metrics, spans and {@code WWW-Authenticate} carry.
 */
public final class AuthenticationException extends Exception {
  private static final long serialVersionUID = 1L;

  private final AuthFailure failure;
  private final String issuer;
  private final String scope;

  /** A refusal without a more precise code ({@link AuthFailure#INVALID}). */
  public AuthenticationException(String message) {
    this(AuthFailure.INVALID, message);
  }

  public AuthenticationException(AuthFailure failure, String message) {
    this(failure, message, AuthDecisions.NO_ISSUER, null);
  }

  /**
   * @param issuer a bounded label: a configured issuer, {@code mcpgw}, {@code basic} or
   *     {@link AuthDecisions#NO_ISSUER}, never a value taken from an unverified token
   * @param scope the scopes (space-separated) the caller lacks, for {@link AuthFailure#INSUFFICIENT_SCOPE}
   */
  public AuthenticationException(AuthFailure failure, String message, String issuer, String scope) {
    super(message, null, false, false);
    this.failure = Objects.requireNonNull(failure, "failure");
    this.issuer = Objects.requireNonNull(issuer, "issuer");
    this.scope = scope;
  }

  /** The same refusal attributed to {@code issuerLabel}. */
  public AuthenticationException withIssuer(String issuerLabel) {
    return new AuthenticationException(failure, getMessage(), issuerLabel, scope);
  }

  public AuthFailure failure() {
    return failure;
  }

  public String issuer() {
    return issuer;
  }

  /** The missing scopes, or {@code null}. */
  public String scope() {
    return scope;
  }
}
