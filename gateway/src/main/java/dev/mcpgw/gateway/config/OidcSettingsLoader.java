package dev.mcpgw.gateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the identity providers: from the environment ({@code MCPGW_OIDC_<FIELD>} for the first,
 * {@code MCPGW_OIDC_<n>_<FIELD>} with n = 2, 3, ... for more) or, when no such variable is set, from the YAML file's
 * {@code oidc:} list (one mapping per provider, keys are the field names in lower case). Every mistake fails start-up
 * naming the variable (or {@code oidc[i].field}).
 */
final class OidcSettingsLoader {
  /** The per-provider fields, as they appear after {@code MCPGW_OIDC_[<n>_]}. */
  enum Field {
    ISSUER, JWKS_URL, AUDIENCE, USER_CLAIM, TENANT_CLAIM, TENANT, ROLES_CLAIM, TENANT_ADMIN_ROLE, PLATFORM_ADMIN_ROLE,
    REQUIRED_SCOPES;

    String yaml() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private static final String PREFIX = "MCPGW_OIDC_";
  private static final Pattern ENV = Pattern.compile("MCPGW_OIDC_(?:([1-9][0-9]?)_)?([A-Z_]+)");

  private OidcSettingsLoader() {}

  /**
   * @param globals the names of {@code MCPGW_OIDC_*} variables that are not per-provider fields
   * @param publicUrl the raw {@code MCPGW_PUBLIC_URL}, or {@code null}
   */
  static OidcSettings load(Map<String, String> env, Set<String> globals, JsonNode yaml, String publicUrl,
      Duration refreshInterval) {
    URI base = publicUrl == null ? null : publicUrl(publicUrl);
    Map<Integer, Map<Field, String>> fromEnv = new TreeMap<>();
    for (Map.Entry<String, String> e : env.entrySet()) {
      String name = e.getKey();
      if (!name.startsWith(PREFIX) || globals.contains(name) || SettingsLoader.blankToNull(e.getValue()) == null) {
        continue;
      }
      Matcher m = ENV.matcher(name);
      Field field = m.matches() ? field(m.group(2)) : null;
      if (field == null || "1".equals(m.group(1))) {
        throw new InvalidSettingException(name, "unknown setting; allowed: MCPGW_OIDC_<FIELD> for the first provider "
            + "and MCPGW_OIDC_<n>_<FIELD> (n from 2) for more, FIELD one of " + Arrays.toString(Field.values()));
      }
      int index = m.group(1) == null ? 1 : Integer.parseInt(m.group(1));
      fromEnv.computeIfAbsent(index, i -> new TreeMap<>()).put(field, e.getValue().trim());
    }
    List<OidcSettings.Provider> providers = new ArrayList<>();
    if (!fromEnv.isEmpty()) {
      for (Map.Entry<Integer, Map<Field, String>> p : fromEnv.entrySet()) {
        int i = p.getKey();
        providers.add(provider(p.getValue(), f -> PREFIX + (i == 1 ? "" : i + "_") + f.name(), base));
      }
    } else if (!yaml.isMissingNode() && !yaml.isNull()) {
      if (!yaml.isArray()) {
        throw new InvalidSettingException("oidc", "must be a YAML list of providers (mappings of issuer, audience, ...)");
      }
      for (int i = 0; i < yaml.size(); i++) {
        int index = i;
        providers.add(provider(yamlFields(yaml.get(i), i), f -> "oidc[" + index + "]." + f.yaml(), base));
      }
    }
    Set<String> issuers = new HashSet<>();
    for (OidcSettings.Provider p : providers) {
      if (!issuers.add(p.issuer())) {
        throw new InvalidSettingException("MCPGW_OIDC_ISSUER", "issuer " + p.issuer() + " is configured twice");
      }
    }
    return new OidcSettings(base, refreshInterval, providers);
  }

  private static Field field(String name) {
    for (Field f : Field.values()) {
      if (f.name().equals(name)) {
        return f;
      }
    }
    return null;
  }

  private static Map<Field, String> yamlFields(JsonNode node, int index) {
    if (node == null || !node.isObject()) {
      throw new InvalidSettingException("oidc[" + index + "]", "must be a mapping of issuer, audience, ...");
    }
    Map<Field, String> fields = new TreeMap<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      Field f = field(name.toUpperCase(Locale.ROOT));
      if (f == null || !f.yaml().equals(name)) {
        throw new InvalidSettingException("oidc[" + index + "]." + name, "unknown key; allowed: "
            + Arrays.stream(Field.values()).map(Field::yaml).toList());
      }
      JsonNode v = node.get(name);
      String text = v.isArray() ? String.join(",", iterable(v)) : v.asText();
      if (SettingsLoader.blankToNull(text) != null) {
        fields.put(f, text.trim());
      }
    }
    return fields;
  }

  private static List<String> iterable(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static OidcSettings.Provider provider(Map<Field, String> f, Function<Field, String> key, URI base) {
    String issuer = f.get(Field.ISSUER);
    if (issuer == null) {
      throw new InvalidSettingException(key.apply(Field.ISSUER), "required for every provider (the exact iss of its "
          + "tokens, e.g. https://keycloak.example.com/realms/acme)");
    }
    URI jwks = null;
    if (f.containsKey(Field.JWKS_URL)) {
      jwks = fetchable(f.get(Field.JWKS_URL), key.apply(Field.JWKS_URL));
    } else {
      fetchable(issuer, key.apply(Field.ISSUER));
    }
    Set<String> audiences = list(f.get(Field.AUDIENCE));
    if (audiences.isEmpty() && base == null) {
      throw new InvalidSettingException(key.apply(Field.AUDIENCE), "required unless MCPGW_PUBLIC_URL is set: the "
          + "audience (aud) the provider puts in tokens for this gateway, e.g. its public URL or an API identifier");
    }
    String tenantClaim = f.get(Field.TENANT_CLAIM);
    String tenant = f.get(Field.TENANT);
    if (tenantClaim != null && tenant != null) {
      throw new InvalidSettingException(key.apply(Field.TENANT), "set either " + key.apply(Field.TENANT_CLAIM)
          + " (the claim holding the tenant) or " + key.apply(Field.TENANT) + " (one tenant for the issuer), not both");
    }
    if (tenantClaim == null && tenant == null) {
      throw new InvalidSettingException(key.apply(Field.TENANT_CLAIM), "required: the claim holding the tenant id, or "
          + "set " + key.apply(Field.TENANT) + " to give every token of this issuer one tenant");
    }
    if (tenant != null && (tenant.length() > 64 || !tenant.matches("[A-Za-z0-9._-]+"))) {
      throw new InvalidSettingException(key.apply(Field.TENANT), "'" + tenant + "' is invalid; allowed: 1 to 64 of "
          + "letters, digits, '.', '_' and '-'");
    }
    return new OidcSettings.Provider(issuer, jwks, audiences,
        f.getOrDefault(Field.USER_CLAIM, OidcSettings.Provider.DEFAULT_USER_CLAIM), tenantClaim, tenant,
        f.getOrDefault(Field.ROLES_CLAIM, OidcSettings.Provider.DEFAULT_ROLES_CLAIM),
        f.getOrDefault(Field.TENANT_ADMIN_ROLE, OidcSettings.Provider.DEFAULT_TENANT_ADMIN_ROLE),
        f.get(Field.PLATFORM_ADMIN_ROLE), list(f.get(Field.REQUIRED_SCOPES)));
  }

  private static Set<String> list(String raw) {
    Set<String> out = new LinkedHashSet<>();
    if (raw != null) {
      for (String part : raw.split("[,\\s]+")) {
        if (!part.isBlank()) {
          out.add(part.trim());
        }
      }
    }
    return out;
  }

  /** An https URL, or http to a loopback host (development and tests). */
  private static URI fetchable(String raw, String key) {
    try {
      URI uri = new URI(raw);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      String host = uri.getHost();
      boolean loopback = "localhost".equals(host) || "127.0.0.1".equals(host) || "[::1]".equals(host);
      if (host != null && uri.getRawUserInfo() == null && uri.getRawFragment() == null
          && ("https".equals(scheme) || "http".equals(scheme) && loopback)) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    throw new InvalidSettingException(key, "'" + raw + "' is not a URL the gateway may fetch keys from; allowed: an "
        + "https URL (http only for localhost), or set the JWKS URL explicitly");
  }

  private static URI publicUrl(String raw) {
    try {
      URI uri = new URI(raw);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (("https".equals(scheme) || "http".equals(scheme)) && uri.getHost() != null && uri.getRawQuery() == null
          && uri.getRawFragment() == null && uri.getRawUserInfo() == null) {
        String s = uri.toString();
        return URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    throw new InvalidSettingException("MCPGW_PUBLIC_URL", "'" + raw + "' is invalid; allowed: the gateway's external "
        + "base URL, e.g. https://mcp.example.com (no query, no fragment)");
  }
}
