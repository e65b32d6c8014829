package dev.mcpgw.gateway.secret;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.TreeMap;

/**
 * How an upstream's secrets appear in answers and logs: header and env values, URL userinfo, query values and
 * fragment all become {@value #MASK} ({@code https://****:****@host/path?api_key=****}); names, host and path stay.
 */
public final class Masking {
  public static final String MASK = "****";

  private Masking() {}

  /** The values replaced by {@value #MASK}: the names stay visible, the secrets never leave. */
  public static Map<String, String> values(Map<String, String> values) {
    Map<String, String> out = new TreeMap<>();
    values.keySet().forEach(k -> out.put(k, MASK));
    return out;
  }

  /** {@code url} with its userinfo, query values and fragment masked; {@value #MASK} when it is not a URL. */
  public static String url(String url) {
    if (url == null) {
      return null;
    }
    URI u;
    try {
      u = new URI(url);
    } catch (URISyntaxException e) {
      return MASK;
    }
    if (u.getScheme() == null || u.getRawAuthority() == null) {
      return MASK;
    }
    StringBuilder sb = new StringBuilder(u.getScheme()).append("://");
    String userInfo = u.getRawUserInfo();
    if (userInfo != null) {
      sb.append(userInfo.contains(":") ? MASK + ":" + MASK : MASK).append('@');
    }
    if (u.getHost() == null) {
      // a registry-style authority the URI class does not split: keep nothing of it but the mask
      return MASK;
    }
    sb.append(u.getHost().contains(":") && !u.getHost().startsWith("[") ? "[" + u.getHost() + "]" : u.getHost());
    if (u.getPort() != -1) {
      sb.append(':').append(u.getPort());
    }
    if (u.getRawPath() != null) {
      sb.append(u.getRawPath());
    }
    if (u.getRawQuery() != null) {
      sb.append('?').append(query(u.getRawQuery()));
    }
    if (u.getRawFragment() != null) {
      sb.append('#').append(MASK);
    }
    return sb.toString();
  }

  private static String query(String raw) {
    StringBuilder sb = new StringBuilder();
    for (String part : raw.split("&", -1)) {
      if (!sb.isEmpty()) {
        sb.append('&');
      }
      int eq = part.indexOf('=');
      // a parameter without '=' may itself be the secret: only its mask shows
      sb.append(eq < 0 ? MASK : part.substring(0, eq + 1) + MASK);
    }
    return sb.toString();
  }
}
