package dev.mcpgw.gateway.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.mcpgw.gateway.config.GatewaySettings;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;

/**
 * Issues and verifies the gateway's HS256 bearer tokens. Claims: {@code iss} (the configured issuer), {@code aud}
 * (containing the configured audience), {@code sub} (user), {@code tenant}, {@code role} ({@code user},
 * {@code tenant_admin} or {@code platform_admin}), {@code iat}, {@code exp}, optionally {@code nbf}; {@code exp - iat}
 * at most the configured maximum lifetime. Tokens of earlier versions carry {@code admin: true|false} instead of
 * {@code role}: they verify as a tenant admin or a user.
 */
public final class TokenService {
  static final Duration CLOCK_SKEW = Duration.ofSeconds(30);
  /** The setting that bounds a token's lifetime, named in refusals. */
  public static final String MAX_LIFETIME_SETTING = "MCPGW_JWT_MAX_LIFETIME";

  private final MACSigner signer;
  private final JWSVerifier verifier;
  private final GatewaySettings.Jwt rules;
  private final Clock clock;

  private TokenService(byte[] secret, GatewaySettings.Jwt rules, Clock clock) {
    try {
      this.signer = new MACSigner(secret);
      this.verifier = new MACVerifier(secret);
    } catch (JOSEException e) {
      throw new IllegalArgumentException("JWT secret: " + e.getMessage(), e);
    }
    this.rules = Objects.requireNonNull(rules, "rules");
    this.clock = clock;
  }

  /** With the default issuer, audience and maximum lifetime. @param secret at least 32 bytes */
  public static TokenService create(byte[] secret) {
    return create(secret, GatewaySettings.Jwt.DEFAULTS);
  }

  /** @param secret at least 32 bytes; @param rules the issuer, audience and maximum lifetime */
  public static TokenService create(byte[] secret, GatewaySettings.Jwt rules) {
    return new TokenService(secret, rules, Clock.systemUTC());
  }

  static TokenService create(byte[] secret, Clock clock) {
    return new TokenService(secret, GatewaySettings.Jwt.DEFAULTS, clock);
  }

  static TokenService create(byte[] secret, GatewaySettings.Jwt rules, Clock clock) {
    return new TokenService(secret, rules, clock);
  }

  /**
   * A signed token for {@code caller}, valid for {@code ttl}.
   *
   * @throws IllegalArgumentException naming {@value #MAX_LIFETIME_SETTING} when {@code ttl} is longer than it allows
   */
  public String issue(Caller caller, Duration ttl) {
    if (ttl.compareTo(rules.maxLifetime()) > 0) {
      throw new IllegalArgumentException("a token may live at most " + rules.maxLifetime() + " ("
          + MAX_LIFETIME_SETTING + "); asked for " + ttl);
    }
    Instant now = clock.instant();
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .issuer(rules.issuer())
        .audience(rules.audience())
        .subject(caller.userId())
        .claim("tenant", caller.tenantId())
        .claim("role", caller.role().claim())
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plus(ttl)))
        .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign a token", e);
    }
    return jwt.serialize();
  }

  /** The caller a token stands for. */
  public Caller verify(String token) throws AuthenticationException {
    try {
      return verify(SignedJWT.parse(token));
    } catch (ParseException e) {
      throw new AuthenticationException(AuthFailure.MALFORMED, "malformed bearer token");
    }
  }

  /** The caller a token, already parsed, stands for. */
  Caller verify(SignedJWT jwt) throws AuthenticationException {
    JWTClaimsSet claims;
    try {
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw new AuthenticationException(AuthFailure.MALFORMED, "malformed bearer token");
    }
    if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
      throw new AuthenticationException(AuthFailure.ALGORITHM, "bearer token must be signed with HS256");
    }
    try {
      if (!jwt.verify(verifier)) {
        throw new AuthenticationException(AuthFailure.BAD_SIGNATURE, "bearer token signature is invalid");
      }
    } catch (JOSEException e) {
      throw new AuthenticationException(AuthFailure.BAD_SIGNATURE, "bearer token signature cannot be verified");
    }
    checkTimes(claims);
    if (!rules.issuer().equals(claims.getIssuer())) {
      throw new AuthenticationException(AuthFailure.UNKNOWN_ISSUER, "bearer token has the wrong iss claim; expected the gateway's issuer");
    }
    List<String> audience = claims.getAudience();
    if (audience == null || !audience.contains(rules.audience())) {
      throw new AuthenticationException(AuthFailure.WRONG_AUDIENCE, "bearer token's aud claim does not name this gateway's audience");
    }
    String sub = claims.getSubject();
    Object tenant = claims.getClaim("tenant");
    if (sub == null || sub.isBlank()) {
      throw new AuthenticationException(AuthFailure.MISSING_CLAIM, "bearer token has no sub claim");
    }
    if (!(tenant instanceof String t) || t.isBlank()) {
      throw new AuthenticationException(AuthFailure.MISSING_CLAIM, "bearer token has no tenant claim");
    }
    Object roleClaim = claims.getClaim("role");
    Caller.Role role;
    if (roleClaim == null) {
      role = Boolean.TRUE.equals(claims.getClaim("admin")) ? Caller.Role.TENANT_ADMIN : Caller.Role.USER;
    } else {
      role = roleClaim instanceof String r ? Caller.Role.fromClaim(r) : null;
      if (role == null) {
        throw new AuthenticationException(AuthFailure.UNKNOWN_ROLE, "bearer token has an unknown role claim; allowed: user, tenant_admin, platform_admin");
      }
    }
    return new Caller(sub, t, role);
  }

  /** {@code exp} and {@code iat} required, {@code nbf} honoured, all with the clock skew; the lifetime bounded. */
  private void checkTimes(JWTClaimsSet claims) throws AuthenticationException {
    TokenTimes.check(claims, clock.instant(), CLOCK_SKEW, true);
    Date exp = claims.getExpirationTime();
    Date iat = claims.getIssueTime();
    if (Duration.between(iat.toInstant(), exp.toInstant()).compareTo(rules.maxLifetime()) > 0) {
      throw new AuthenticationException(AuthFailure.LIFETIME, "bearer token lives longer than " + MAX_LIFETIME_SETTING + " allows");
    }
  }
}
