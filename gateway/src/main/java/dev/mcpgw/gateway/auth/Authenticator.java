package dev.mcpgw.gateway.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.SignedJWT;
import dev.mcpgw.gateway.auth.OidcVerifier;
import dev.mcpgw.gateway.config.GatewaySettings;
import java.text.ParseException;
import java.time.Clock;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an {@code Authorization} header into a {@link Caller}. Built once from settings: when auth is not required
 * every request runs as {@link Caller#ANONYMOUS} and credentials are not looked at.
 */
public interface Authenticator {

  /**
   * @param authorization the {@code Authorization} header, or {@code null}
   * @throws AuthenticationException when the header is missing or does not authenticate
   */
  Caller authenticate(String authorization) throws AuthenticationException;

  /** The authenticator the settings call for, reporting no decisions; logs a warning when auth is off. */
  static Authenticator create(GatewaySettings settings, TokenService tokens) {
    return create(settings, tokens, AuthDecisions.NONE);
  }

  /**
   * The authenticator the settings call for: the gateway's own HS256 tokens, the configured identity providers'
   * tokens ({@link OidcVerifier}) and basic auth, each decision reported to {@code decisions}; logs a warning when
   * auth is off.
   */
  static Authenticator create(GatewaySettings settings, TokenService tokens, AuthDecisions decisions) {
    if (!settings.auth().required()) {
      LoggerFactory.getLogger(Authenticator.class).warn(
          "MCPGW_AUTH_REQUIRED=false: every request runs as user 'anonymous' of tenant 'default' as platform admin; "
              + "use this on a private machine only");
      return header -> Caller.ANONYMOUS;
    }
    return new Required(tokens, OidcVerifier.create(settings.oidc()), decisions, settings.auth().adminUser(),
        settings.auth().adminPassword(), new VerifiedTokens(settings.auth().tokenCache(), Clock.systemUTC()));
  }

  /**
   * Bearer tokens for everyone (HS256: the gateway's own, checked by {@link TokenService}; any other algorithm: an
   * identity provider's, checked by {@link OidcVerifier}), basic auth for the configured admin. A bearer token is
   * parsed once per request, and one verified recently is not verified again ({@link VerifiedTokens}).
   */
  final class Required implements Authenticator {
    private static final Logger LOG = LoggerFactory.getLogger(Required.class);
    private final TokenService tokens;
    private final OidcVerifier providers;
    private final AuthDecisions decisions;
    private final String adminUser;
    private final byte[] adminPassword;
    private final VerifiedTokens verified;

    Required(TokenService tokens, OidcVerifier providers, AuthDecisions decisions, String adminUser,
        String adminPassword, VerifiedTokens verified) {
      this.verified = verified;
      this.tokens = tokens;
      this.providers = providers;
      this.decisions = decisions;
      this.adminUser = adminUser;
      this.adminPassword = adminPassword == null ? null : adminPassword.getBytes(StandardCharsets.UTF_8);
      if (adminPassword == null) {
        LOG.info("basic auth is off (MCPGW_ADMIN_PASSWORD is not set); use bearer tokens from `mcpgw token`");
      }
    }

    @Override
    public Caller authenticate(String authorization) throws AuthenticationException {
      try {
        return decide(authorization);
      } catch (AuthenticationException e) {
        decisions.refused(e);
        throw e;
      }
    }

    private Caller decide(String authorization) throws AuthenticationException {
      if (authorization == null || authorization.isBlank()) {
        throw new AuthenticationException(AuthFailure.MISSING,
            "authentication required: send 'Authorization: Bearer <token>' (mint one with `bin/mcpgw token`"
                + (providers.enabled() ? ", or get one from the identity provider the resource metadata names)" : ")"));
      }
      int space = authorization.indexOf(' ');
      String scheme = space < 0 ? authorization : authorization.substring(0, space);
      String value = space < 0 ? "" : authorization.substring(space + 1).trim();
      return switch (scheme.toLowerCase(Locale.ROOT)) {
        case "bearer" -> bearer(value);
        case "basic" -> basic(value);
        default -> throw new AuthenticationException(AuthFailure.UNSUPPORTED_SCHEME,
            "unsupported Authorization scheme; allowed: Bearer, Basic");
      };
    }

    private Caller bearer(String value) throws AuthenticationException {
      VerifiedTokens.Entry known = verified.get(value);
      if (known != null && (AuthDecisions.GATEWAY_ISSUER.equals(known.issuer())
          || providers.keysGeneration(known.issuer()) == known.keysGeneration())) {
        decisions.accepted(known.issuer());
        return known.caller();
      }
      SignedJWT jwt;
      try {
        jwt = SignedJWT.parse(value);
      } catch (ParseException e) {
        throw new AuthenticationException(AuthFailure.MALFORMED, "malformed bearer token");
      }
      Caller caller;
      String issuer;
      long keysGeneration = 0;
      if (JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) || !providers.enabled()) {
        try {
          caller = tokens.verify(jwt);
          issuer = AuthDecisions.GATEWAY_ISSUER;
        } catch (AuthenticationException e) {
          throw e.withIssuer(AuthDecisions.GATEWAY_ISSUER);
        }
      } else {
        // read before verifying: keys fetched meanwhile make the entry stale, never the reverse
        keysGeneration = providers.keysGeneration(claimedIssuer(jwt));
        OidcVerifier.Verified accepted = providers.verify(jwt);
        caller = accepted.caller();
        issuer = accepted.issuer();
      }
      verified.put(value, caller, issuer, expiry(jwt), keysGeneration);
      decisions.accepted(issuer);
      return caller;
    }

    /** The {@code exp} of a token that verified (so its claims parsed), or {@code null}. */
    private static java.time.Instant expiry(SignedJWT jwt) {
      try {
        java.util.Date exp = jwt.getJWTClaimsSet().getExpirationTime();
        return exp == null ? null : exp.toInstant();
      } catch (ParseException e) {
        return null;
      }
    }

    /** The token's {@code iss}, or {@code null} (its verification then refuses it). */
    private static String claimedIssuer(SignedJWT jwt) {
      try {
        return jwt.getJWTClaimsSet().getIssuer();
      } catch (ParseException e) {
        return null;
      }
    }

    /** How many verified tokens are cached (for tests). */
    int cachedTokens() {
      return verified.size();
    }

    private Caller basic(String value) throws AuthenticationException {
      Caller caller;
      try {
        caller = checkBasic(value);
      } catch (AuthenticationException e) {
        throw e.withIssuer(AuthDecisions.BASIC);
      }
      decisions.accepted(AuthDecisions.BASIC);
      return caller;
    }

    private Caller checkBasic(String value) throws AuthenticationException {
      if (adminPassword == null) {
        throw new AuthenticationException(AuthFailure.BASIC_INVALID,
            "basic auth is off: set MCPGW_ADMIN_PASSWORD, or use a bearer token");
      }
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new AuthenticationException(AuthFailure.BASIC_INVALID, "malformed basic credentials");
      }
      int colon = decoded.indexOf(':');
      if (colon < 0) {
        throw new AuthenticationException(AuthFailure.BASIC_INVALID, "malformed basic credentials");
      }
      byte[] user = decoded.substring(0, colon).getBytes(StandardCharsets.UTF_8);
      byte[] password = decoded.substring(colon + 1).getBytes(StandardCharsets.UTF_8);
      // constant-time comparisons, both evaluated, so timing tells nothing about which part was wrong
      boolean userOk = MessageDigest.isEqual(user, adminUser.getBytes(StandardCharsets.UTF_8));
      boolean passwordOk = MessageDigest.isEqual(password, adminPassword);
      if (!(userOk & passwordOk)) {
        throw new AuthenticationException(AuthFailure.BASIC_INVALID, "invalid basic credentials");
      }
      return new Caller(adminUser, Tenancy.DEFAULT_TENANT, Caller.Role.PLATFORM_ADMIN);
    }
  }
}
