package dev.mcpgw.gateway.auth;

import java.util.Locale;

/**
 * Why a request was not authenticated: a bounded set, used as the {@code reason} label of
 * {@code mcpgw.auth.decisions} and the {@code mcpgw.auth.reason} span attribute.
 */
public enum AuthFailure {
  /** No {@code Authorization} header. */
  MISSING,
  /** Not a JWT, or not in a supported scheme. */
  MALFORMED,
  /** Neither Bearer nor Basic. */
  UNSUPPORTED_SCHEME,
  /** Basic credentials that are wrong, or basic auth is off. */
  BASIC_INVALID,
  /** A signing algorithm the token's issuer may not use. */
  ALGORITHM,
  /** The signature does not verify. */
  BAD_SIGNATURE,
  /** The token's {@code kid} is not in the issuer's JWKS, even after a refresh. */
  UNKNOWN_KEY,
  /** The issuer's keys cannot be fetched (provider down or answering garbage). */
  KEYS_UNAVAILABLE,
  /** {@code exp} in the past (beyond the clock skew). */
  EXPIRED,
  /** {@code nbf} or {@code iat} in the future (beyond the clock skew). */
  NOT_YET_VALID,
  /** Lives longer than the gateway allows. */
  LIFETIME,
  /** {@code iss} is no configured issuer. */
  UNKNOWN_ISSUER,
  /** {@code aud} does not name this gateway. */
  WRONG_AUDIENCE,
  /** A claim the gateway maps (user, tenant, exp...) is missing. */
  MISSING_CLAIM,
  /** The role claim names no role. */
  UNKNOWN_ROLE,
  /** Authenticated, but a required scope is missing (403). */
  INSUFFICIENT_SCOPE,
  /** Any other refusal. */
  INVALID;

  /** The label value: the name in lower case. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The HTTP status of the refusal: 403 for a missing scope, 401 otherwise. */
  public int status() {
    return this == INSUFFICIENT_SCOPE ? 403 : 401;
  }
}
