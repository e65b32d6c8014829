package dev.mcpgw.gateway.auth;

import com.nimbusds.jwt.JWTClaimsSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/** The time claims every bearer token is checked for, ours and external providers' alike. */
final class TokenTimes {
  private TokenTimes() {}

  /**
   * {@code exp} required and not passed, {@code nbf} and {@code iat} not in the future, each within {@code skew};
   * {@code iat} required when {@code requireIat}.
   */
  static void check(JWTClaimsSet claims, Instant now, Duration skew, boolean requireIat) throws AuthenticationException {
    Date exp = claims.getExpirationTime();
    if (exp == null) {
      throw new AuthenticationException(AuthFailure.MISSING_CLAIM, "bearer token has no exp claim");
    }
    if (exp.toInstant().plus(skew).isBefore(now)) {
      throw new AuthenticationException(AuthFailure.EXPIRED, "bearer token expired");
    }
    Date iat = claims.getIssueTime();
    if (iat == null && requireIat) {
      throw new AuthenticationException(AuthFailure.MISSING_CLAIM, "bearer token has no iat claim");
    }
    if (iat != null && iat.toInstant().minus(skew).isAfter(now)) {
      throw new AuthenticationException(AuthFailure.NOT_YET_VALID, "bearer token is issued in the future");
    }
    Date nbf = claims.getNotBeforeTime();
    if (nbf != null && nbf.toInstant().minus(skew).isAfter(now)) {
      throw new AuthenticationException(AuthFailure.NOT_YET_VALID, "bearer token is not valid yet (nbf)");
    }
  }
}
