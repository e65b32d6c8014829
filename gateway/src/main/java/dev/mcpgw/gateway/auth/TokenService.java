package dev.mcpgw.gateway.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * Issues and verifies the gateway's HS256 bearer tokens. Claims: {@code sub} (user), {@code tenant}, {@code role}
 * ({@code user}, {@code tenant_admin} or {@code platform_admin}), {@code exp}. Tokens of earlier versions carry
 * {@code admin: true|false} instead of {@code role}: they verify as a tenant admin or a user.
 */
public final class TokenService {
  static final String ISSUER = "mcpgw";
  private static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

  private final MACSigner signer;
  private final JWSVerifier verifier;
  private final Clock clock;

  private TokenService(byte[] secret, Clock clock) {
    try {
      this.signer = new MACSigner(secret);
      this.verifier = new MACVerifier(secret);
    } catch (JOSEException e) {
      throw new IllegalArgumentException("JWT secret: " + e.getMessage(), e);
    }
    this.clock = clock;
  }

  /** @param secret at least 32 bytes */
  public static TokenService create(byte[] secret) {
    return new TokenService(secret, Clock.systemUTC());
  }

  static TokenService create(byte[] secret, Clock clock) {
    return new TokenService(secret, clock);
  }

  /** A signed token for {@code caller}, valid for {@code ttl}. */
  public String issue(Caller caller, Duration ttl) {
    Instant now = clock.instant();
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .issuer(ISSUER)
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
    SignedJWT jwt;
    JWTClaimsSet claims;
    try {
      jwt = SignedJWT.parse(token);
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw new AuthenticationException("malformed bearer token");
    }
    if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
      throw new AuthenticationException("bearer token must be signed with HS256");
    }
    try {
      if (!jwt.verify(verifier)) {
        throw new AuthenticationException("bearer token signature is invalid");
      }
    } catch (JOSEException e) {
      throw new AuthenticationException("bearer token signature cannot be verified");
    }
    Date exp = claims.getExpirationTime();
    if (exp == null) {
      throw new AuthenticationException("bearer token has no exp claim");
    }
    if (exp.toInstant().plus(CLOCK_SKEW).isBefore(clock.instant())) {
      throw new AuthenticationException("bearer token expired");
    }
    String sub = claims.getSubject();
    Object tenant = claims.getClaim("tenant");
    if (sub == null || sub.isBlank()) {
      throw new AuthenticationException("bearer token has no sub claim");
    }
    if (!(tenant instanceof String t) || t.isBlank()) {
      throw new AuthenticationException("bearer token has no tenant claim");
    }
    Object roleClaim = claims.getClaim("role");
    Caller.Role role;
    if (roleClaim == null) {
      role = Boolean.TRUE.equals(claims.getClaim("admin")) ? Caller.Role.TENANT_ADMIN : Caller.Role.USER;
    } else {
      role = roleClaim instanceof String r ? Caller.Role.fromClaim(r) : null;
      if (role == null) {
        throw new AuthenticationException("bearer token has an unknown role claim; allowed: user, tenant_admin, platform_admin");
      }
    }
    return new Caller(sub, t, role);
  }
}
