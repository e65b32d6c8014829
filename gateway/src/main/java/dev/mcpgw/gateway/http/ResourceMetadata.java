package dev.mcpgw.gateway.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.auth.AuthFailure;
import dev.mcpgw.gateway.auth.AuthenticationException;
import dev.mcpgw.gateway.config.OidcSettings;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The gateway as an OAuth 2.0 protected resource (RFC 9728, as the MCP authorization specification asks): the
 * metadata document of the gateway and of each MCP endpoint, and the {@code WWW-Authenticate} challenge that points
 * clients at it. URLs start at {@code MCPGW_PUBLIC_URL}, or at the request's scheme and (already checked) Host.
 */
final class ResourceMetadata {
  /** The well-known path; the metadata of resource {@code /mcp} is at this path followed by {@code /mcp}. */
  static final String WELL_KNOWN = "/.well-known/oauth-protected-resource";
  private static final Pattern RESOURCE = Pattern.compile("/mcp|/servers/[^/]+/mcp");
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.\\-]+(:\\d{1,5})?|\\[[0-9A-Fa-f:.]+](:\\d{1,5})?");
  private static final String REALM = "mcpgw";

  private final URI publicUrl;
  private final List<String> authorizationServers;
  private final Set<String> scopes;

  ResourceMetadata(OidcSettings settings) {
    this.publicUrl = settings.publicUrl();
    this.authorizationServers = settings.providers().stream().map(OidcSettings.Provider::issuer).toList();
    Set<String> all = new TreeSet<>();
    settings.providers().forEach(p -> all.addAll(p.requiredScopes()));
    this.scopes = Set.copyOf(all);
  }

  /** Whether {@code path} is a metadata document's path (open to everyone). */
  static boolean isMetadataPath(String path) {
    return path.equals(WELL_KNOWN) || path.startsWith(WELL_KNOWN + "/");
  }

  /**
   * The metadata document for the resource {@code resourcePath} ({@code ""} for the gateway itself, {@code /mcp},
   * {@code /servers/{id}/mcp}), or {@code null} when the path names no resource of the gateway.
   */
  ObjectNode document(HttpServletRequest req, String resourcePath) {
    if (!resourcePath.isEmpty() && !RESOURCE.matcher(resourcePath).matches()) {
      return null;
    }
    ObjectNode doc = JsonResponses.MAPPER.createObjectNode();
    doc.put("resource", base(req) + resourcePath);
    if (!authorizationServers.isEmpty()) {
      ArrayNode servers = doc.putArray("authorization_servers");
      authorizationServers.forEach(servers::add);
    }
    doc.putArray("bearer_methods_supported").add("header");
    if (!scopes.isEmpty()) {
      ArrayNode s = doc.putArray("scopes_supported");
      scopes.forEach(s::add);
    }
    doc.put("resource_name", "MCP Gateway");
    return doc;
  }

  /** The {@code WWW-Authenticate} value for a refusal of {@code req} (RFC 6750 section 3, RFC 9728 section 5.1). */
  String challenge(HttpServletRequest req, AuthenticationException refusal) {
    StringBuilder b = new StringBuilder("Bearer realm=\"").append(REALM).append('"');
    AuthFailure failure = refusal.failure();
    if (failure == AuthFailure.INSUFFICIENT_SCOPE) {
      b.append(", error=\"insufficient_scope\"");
      if (refusal.scope() != null) {
        b.append(", scope=\"").append(quotable(refusal.scope())).append('"');
      }
      b.append(", error_description=\"").append(quotable(refusal.getMessage())).append('"');
    } else if (failure != AuthFailure.MISSING && failure != AuthFailure.BASIC_INVALID) {
      // RFC 6750 section 3.1: a request that is not a usable bearer token is invalid_request, a bearer token the
      // gateway does not accept is invalid_token; failed basic credentials get the bare challenge
      boolean request = failure == AuthFailure.MALFORMED || failure == AuthFailure.UNSUPPORTED_SCHEME;
      b.append(", error=\"").append(request ? "invalid_request" : "invalid_token")
          .append("\", error_description=\"").append(quotable(refusal.getMessage())).append('"');
    }
    if (failure != AuthFailure.INSUFFICIENT_SCOPE && !scopes.isEmpty()) {
      // the MCP authorization spec (2025-11-25): clients request the challenge's scopes first
      b.append(", scope=\"").append(quotable(String.join(" ", scopes))).append('"');
    }
    String path = req.getRequestURI();
    String resource = RESOURCE.matcher(path).matches() ? path : "";
    b.append(", resource_metadata=\"").append(quotable(base(req) + WELL_KNOWN + resource)).append('"');
    return b.toString();
  }

  /** {@code MCPGW_PUBLIC_URL}, or the request's scheme and Host (the server's name when Host looks odd). */
  private String base(HttpServletRequest req) {
    if (publicUrl != null) {
      return publicUrl.toString();
    }
    String host = req.getHeader("Host");
    if (host == null || !HOST.matcher(host).matches()) {
      host = req.getServerName() + ":" + req.getServerPort();
    }
    return req.getScheme() + "://" + host;
  }

  /** Printable ASCII without {@code "} and {@code \} (RFC 6750's error_description characters). */
  private static String quotable(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      out.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? c : '\'');
    }
    return out.toString();
  }
}
