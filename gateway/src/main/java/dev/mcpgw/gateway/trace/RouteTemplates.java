package dev.mcpgw.gateway.trace;

import dev.mcpgw.gateway.http.ApiRoutes;
import java.util.Set;

/**
 * The low-cardinality route of a request path ({@code http.route}): the MCP endpoints and probes, whose paths are
 * fixed, then the admin API's patterns. A path no route knows gets none, and its span is named by the method only,
 * as the HTTP conventions ask, so that a scan of random URLs cannot blow up the span-name cardinality.
 */
final class RouteTemplates {
  static final String SERVER_PREFIX = "/servers/";
  private static final Set<String> FIXED = Set.of("/mcp", "/sse", "/message", "/health", "/ready", "/metrics");
  private static final Set<String> SERVER_ENDPOINTS = Set.of("/mcp", "/sse", "/message");

  private final ApiRoutes api;

  RouteTemplates(ApiRoutes api) {
    this.api = api;
  }

  /** The route template of {@code path}, or {@code null} when none matches. */
  String of(String path) {
    if (path == null) {
      return null;
    }
    if (FIXED.contains(path)) {
      return path;
    }
    if (path.startsWith(SERVER_PREFIX)) {
      int slash = path.indexOf('/', SERVER_PREFIX.length());
      if (slash > SERVER_PREFIX.length()) {
        String endpoint = path.substring(slash);
        if (SERVER_ENDPOINTS.contains(endpoint)) {
          return "/servers/{id}" + endpoint;
        }
      }
    }
    return api.template(path);
  }
}
