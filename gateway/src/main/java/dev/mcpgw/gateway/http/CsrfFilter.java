package dev.mcpgw.gateway.http;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;

/**
 * Cross-site request forgery protection of the admin API: a state-changing request ({@code POST}, {@code PUT},
 * {@code PATCH}, {@code DELETE}) gets 403 when it carries an {@code Origin} the {@link OriginPolicy} refuses, and 415
 * when it has a body that is not {@code application/json}: a web page can send a form or {@code text/plain} without
 * the browser asking first, but not JSON to another origin. Paths no admin route matches (the MCP endpoints, which
 * check the same rule themselves) go on unchanged.
 */
final class CsrfFilter extends HttpFilter {
  private static final long serialVersionUID = 1L;
  private static final Set<String> STATE_CHANGING = Set.of("POST", "PUT", "PATCH", "DELETE");

  private final transient OriginPolicy origins;
  private final transient ApiRoutes routes;

  CsrfFilter(OriginPolicy origins, ApiRoutes routes) {
    this.origins = origins;
    this.routes = routes;
  }

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    if (!STATE_CHANGING.contains(req.getMethod()) || routes.template(req.getRequestURI()) == null) {
      chain.doFilter(req, res);
      return;
    }
    if (!origins.allows(req.getHeader("Origin"))) {
      JsonResponses.error(res, 403, "Origin is not allowed (cross-site request forgery protection); add it to "
          + "MCPGW_ALLOWED_ORIGINS", "Origin");
      return;
    }
    if (hasBody(req) && !isJson(req.getContentType())) {
      JsonResponses.error(res, 415, "Content-Type must be application/json", "Content-Type");
      return;
    }
    chain.doFilter(req, res);
  }

  private static boolean hasBody(HttpServletRequest req) {
    return req.getContentLengthLong() > 0 || req.getHeader("Transfer-Encoding") != null;
  }

  private static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    String type = contentType.toLowerCase(Locale.ROOT);
    int semicolon = type.indexOf(';');
    return (semicolon < 0 ? type : type.substring(0, semicolon)).trim().equals("application/json");
  }
}
