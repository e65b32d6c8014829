package dev.mcpgw.gateway.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.mcpgw.gateway.config.OidcSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Verifies bearer tokens of the configured external identity providers: the issuer by its exact {@code iss}, an
 * asymmetric signature (RS256, ES256 or EdDSA/Ed25519; never an HMAC, so the gateway's HS256 secret cannot be used
 * against a provider's public key) by a key of that issuer's JWKS, {@code exp} (required) and {@code nbf}/{@code iat}
 * with {@link #CLOCK_SKEW}, {@code aud} bound to this gateway (RFC 8707), then maps the claims to a {@link Caller}.
 */
public final class OidcVerifier {
  /** The clock skew allowed on {@code exp}, {@code nbf} and {@code iat}. */
  public static final Duration CLOCK_SKEW = Duration.ofSeconds(60);
  private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256, JWSAlgorithm.EdDSA);

  private final Map<String, Issuer> issuers;
  private final URI publicUrl;
  private final Clock clock;

  private record Issuer(OidcSettings.Provider settings, ProviderKeys keys) {}

  /** A verified token: the caller and the issuer that vouched for it. */
  public record Verified(Caller caller, String issuer) {}

  private OidcVerifier(Map<String, Issuer> issuers, URI publicUrl, Clock clock) {
    this.issuers = issuers;
    this.publicUrl = publicUrl;
    this.clock = clock;
  }

  /** A verifier of the configured providers; fetches nothing until a token arrives. */
  public static OidcVerifier create(OidcSettings settings) {
    return create(settings, Clock.systemUTC());
  }

  static OidcVerifier create(OidcSettings settings, Clock clock) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(ProviderKeys.TIMEOUT)
        .followRedirects(HttpClient.Redirect.NEVER).build();
    Map<String, Issuer> issuers = new LinkedHashMap<>();
    for (OidcSettings.Provider p : settings.providers()) {
      issuers.put(p.issuer(), new Issuer(p,
          new ProviderKeys(p.issuer(), p.jwksUrl(), settings.jwksRefreshInterval(), http, clock)));
    }
    return new OidcVerifier(Map.copyOf(issuers), settings.publicUrl(), clock);
  }

  /** The generation of the keys held for {@code issuer} ({@link ProviderKeys#generation()}); -1 when not configured. */
  long keysGeneration(String issuer) {
    Issuer i = issuer == null ? null : issuers.get(issuer);
    return i == null ? -1 : i.keys.generation();
  }

  /** Whether any provider is configured. */
  public boolean enabled() {
    return !issuers.isEmpty();
  }

  /** The caller a provider's token stands for. */
  public Verified verify(SignedJWT jwt) throws AuthenticationException {
    JWTClaimsSet claims;
    try {
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw new AuthenticationException(AuthFailure.MALFORMED, "malformed bearer token");
    }
    Issuer issuer = claims.getIssuer() == null ? null : issuers.get(claims.getIssuer());
    if (issuer == null) {
      throw new AuthenticationException(AuthFailure.UNKNOWN_ISSUER, "bearer token's issuer (iss) is not trusted by "
          + "this gateway");
    }
    try {
      return new Verified(verify(jwt, claims, issuer), issuer.settings.issuer());
    } catch (AuthenticationException e) {
      throw e.withIssuer(issuer.settings.issuer());
    }
  }

  private Caller verify(SignedJWT jwt, JWTClaimsSet claims, Issuer issuer) throws AuthenticationException {
    JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
    if (!ALGORITHMS.contains(alg)) {
      throw new AuthenticationException(AuthFailure.ALGORITHM, "bearer token's algorithm is not allowed; allowed: "
          + "RS256, ES256, EdDSA");
    }
    boolean verified = false;
    for (JWK key : issuer.keys.candidates(jwt.getHeader())) {
      if (verifies(jwt, key)) {
        verified = true;
        break;
      }
    }
    if (!verified) {
      throw new AuthenticationException(AuthFailure.BAD_SIGNATURE, "bearer token signature is invalid");
    }
    checkTimes(claims);
    OidcSettings.Provider p = issuer.settings;
    if (!audienceMatches(claims.getAudience(), p.audiences())) {
      throw new AuthenticationException(AuthFailure.WRONG_AUDIENCE, "bearer token's audience (aud) is not this "
          + "gateway; request a token for this resource (RFC 8707)");
    }
    String user = text(ClaimPaths.get(claims, p.userClaim()));
    if (user == null) {
      throw new AuthenticationException(AuthFailure.MISSING_CLAIM, "bearer token has no " + p.userClaim() + " claim");
    }
    String tenant = p.tenant();
    if (tenant == null) {
      tenant = text(ClaimPaths.get(claims, p.tenantClaim()));
      if (tenant == null || tenant.length() > 64) {
        throw new AuthenticationException(AuthFailure.MISSING_CLAIM, "bearer token has no " + p.tenantClaim()
            + " claim (the tenant)");
      }
    }
    Set<String> scopes = scopes(claims);
    List<String> missing = new ArrayList<>();
    for (String s : p.requiredScopes()) {
      if (!scopes.contains(s)) {
        missing.add(s);
      }
    }
    if (!missing.isEmpty()) {
      throw new AuthenticationException(AuthFailure.INSUFFICIENT_SCOPE, "bearer token lacks the scope "
          + String.join(" ", p.requiredScopes()), p.issuer(), String.join(" ", p.requiredScopes()));
    }
    return new Caller(user, tenant, role(ClaimPaths.strings(ClaimPaths.get(claims, p.rolesClaim())), p));
  }

  private static Caller.Role role(Set<String> roles, OidcSettings.Provider p) {
    if (p.platformAdminRole() != null && roles.contains(p.platformAdminRole())) {
      return Caller.Role.PLATFORM_ADMIN;
    }
    return roles.contains(p.tenantAdminRole()) ? Caller.Role.TENANT_ADMIN : Caller.Role.USER;
  }

  /** The configured audiences, or (when none is) the public URL and any resource URL under it. */
  private boolean audienceMatches(List<String> aud, Set<String> configured) {
    if (aud == null) {
      return false;
    }
    for (String a : aud) {
      if (configured.isEmpty() ? underPublicUrl(a) : configured.contains(a)) {
        return true;
      }
    }
    return false;
  }

  private boolean underPublicUrl(String aud) {
    if (publicUrl == null) {
      return false;
    }
    String base = publicUrl.toString();
    String a = aud.endsWith("/") ? aud.substring(0, aud.length() - 1) : aud;
    return a.equals(base) || a.startsWith(base + "/");
  }

  private void checkTimes(JWTClaimsSet claims) throws AuthenticationException {
    TokenTimes.check(claims, clock.instant(), CLOCK_SKEW, false);
  }

  private static boolean verifies(SignedJWT jwt, JWK key) {
    try {
      JWSVerifier verifier = switch (key) {
        case RSAKey rsa -> new RSASSAVerifier(rsa);
        case ECKey ec when Curve.P_256.equals(ec.getCurve()) -> new ECDSAVerifier(ec);
        case OctetKeyPair okp when Curve.Ed25519.equals(okp.getCurve()) -> new Ed25519JdkVerifier(okp);
        default -> null;
      };
      return verifier != null && jwt.verify(verifier);
    } catch (JOSEException | IllegalStateException e) {
      return false;
    }
  }

  /** The space-separated {@code scope} claim, or the {@code scp} claim (a list or a string). */
  private static Set<String> scopes(JWTClaimsSet claims) {
    Set<String> out = new LinkedHashSet<>(ClaimPaths.strings(claims.getClaim("scope")));
    out.addAll(ClaimPaths.strings(claims.getClaim("scp")));
    return out;
  }

  private static String text(Object value) {
    if (value instanceof String s && !s.isBlank()) {
      return s;
    }
    if (value instanceof Number n) {
      return n.toString();
    }
    return null;
  }
}
