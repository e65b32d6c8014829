package dev.mcpgw.gateway.auth;

import dev.mcpgw.gateway.config.GatewaySettings;
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

  /** The authenticator the settings call for; logs a warning when auth is off. */
  static Authenticator create(GatewaySettings settings, TokenService tokens) {
    if (!settings.auth().required()) {
      LoggerFactory.getLogger(Authenticator.class).warn(
          "MCPGW_AUTH_REQUIRED=false: every request runs as user 'anonymous' of tenant 'default' as platform admin; "
              + "use this on a private machine only");
      return header -> Caller.ANONYMOUS;
    }
    return new Required(tokens, settings.auth().adminUser(), settings.auth().adminPassword());
  }

  /** Bearer tokens for everyone, basic auth for the configured admin. */
  final class Required implements Authenticator {
    private static final Logger LOG = LoggerFactory.getLogger(Required.class);
    private final TokenService tokens;
    private final String adminUser;
    private final byte[] adminPassword;

    Required(TokenService tokens, String adminUser, String adminPassword) {
      this.tokens = tokens;
      this.adminUser = adminUser;
      this.adminPassword = adminPassword == null ? null : adminPassword.getBytes(StandardCharsets.UTF_8);
      if (adminPassword == null) {
        LOG.info("basic auth is off (MCPGW_ADMIN_PASSWORD is not set); use bearer tokens from `mcpgw token`");
      }
    }

    @Override
    public Caller authenticate(String authorization) throws AuthenticationException {
      if (authorization == null || authorization.isBlank()) {
        throw new AuthenticationException(
            "authentication required: send 'Authorization: Bearer <token>' (mint one with `bin/mcpgw token`)");
      }
      int space = authorization.indexOf(' ');
      String scheme = space < 0 ? authorization : authorization.substring(0, space);
      String value = space < 0 ? "" : authorization.substring(space + 1).trim();
      return switch (scheme.toLowerCase(Locale.ROOT)) {
        case "bearer" -> tokens.verify(value);
        case "basic" -> basic(value);
        default -> throw new AuthenticationException("unsupported Authorization scheme; allowed: Bearer, Basic");
      };
    }

    private Caller basic(String value) throws AuthenticationException {
      if (adminPassword == null) {
        throw new AuthenticationException("basic auth is off: set MCPGW_ADMIN_PASSWORD, or use a bearer token");
      }
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new AuthenticationException("malformed basic credentials");
      }
      int colon = decoded.indexOf(':');
      if (colon < 0) {
        throw new AuthenticationException("malformed basic credentials");
      }
      byte[] user = decoded.substring(0, colon).getBytes(StandardCharsets.UTF_8);
      byte[] password = decoded.substring(colon + 1).getBytes(StandardCharsets.UTF_8);
      // constant-time comparisons, both evaluated, so timing tells nothing about which part was wrong
      boolean userOk = MessageDigest.isEqual(user, adminUser.getBytes(StandardCharsets.UTF_8));
      boolean passwordOk = MessageDigest.isEqual(password, adminPassword);
      if (!(userOk & passwordOk)) {
        throw new AuthenticationException("invalid basic credentials");
      }
      return new Caller(adminUser, Tenancy.DEFAULT_TENANT, Caller.Role.PLATFORM_ADMIN);
    }
  }
}
