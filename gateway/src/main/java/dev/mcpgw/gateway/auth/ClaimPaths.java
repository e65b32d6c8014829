package dev.mcpgw.gateway.auth;

import com.nimbusds.jwt.JWTClaimsSet;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Reads a mapped claim: the name as it is (so {@code https://example.com/roles}, Auth0's namespaced claims, works),
 * else as a dotted path into nested objects ({@code realm_access.roles}, Keycloak's realm roles).
 */
final class ClaimPaths {
  private ClaimPaths() {}

  static Object get(JWTClaimsSet claims, String name) {
    Object direct = claims.getClaim(name);
    if (direct != null || !name.contains(".")) {
      return direct;
    }
    Object node = claims.getClaims();
    for (String part : name.split("\\.")) {
      if (!(node instanceof Map<?, ?> map)) {
        return null;
      }
      node = map.get(part);
    }
    return node;
  }

  /** A list of strings, or one string of space-separated values, as a set; anything else is empty. */
  static Set<String> strings(Object value) {
    Set<String> out = new LinkedHashSet<>();
    if (value instanceof String s) {
      for (String part : s.trim().split("\\s+")) {
        if (!part.isEmpty()) {
          out.add(part);
        }
      }
    } else if (value instanceof Collection<?> c) {
      for (Object o : c) {
        if (o instanceof String s) {
          out.add(s);
        }
      }
    }
    return out;
  }
}
