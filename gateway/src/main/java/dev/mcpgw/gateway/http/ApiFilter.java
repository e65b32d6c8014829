package dev.mcpgw.gateway.http;

import dev.mcpgw.gateway.auth.Caller;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the admin API from {@link ApiRoutes}. A filter rather than a servlet so that the API's paths
 * ({@code /servers/{id}}) and the MCP endpoints' ({@code /servers/{id}/mcp}) can share a prefix: what no route
 * matches goes on down the chain.
 */
final class ApiFilter extends HttpFilter {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(ApiFilter.class);

  private final transient ApiRoutes routes;

  ApiFilter(ApiRoutes routes) {
    this.routes = routes;
  }

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    Optional<ApiRoutes.Match> match = routes.match(req.getMethod(), req.getRequestURI());
    if (match.isEmpty()) {
      chain.doFilter(req, res);
      return;
    }
    ApiRoutes.Route route = match.get().route();
    if (route == null) {
      JsonResponses.error(res, 405, "method " + req.getMethod() + " is not allowed on " + req.getRequestURI(), null);
      return;
    }
    Caller caller = (Caller) req.getAttribute(AuthFilter.CALLER);
    if (route.adminOnly() && (caller == null || !caller.admin())) {
      JsonResponses.error(res, 403, "registry writes need an admin caller (a token minted with --admin, or basic auth)",
          null);
      return;
    }
    try {
      ApiResponse out = route.handler().handle(new ApiRequest(req, match.get().params()));
      if (out.body() == null) {
        res.setStatus(out.status());
      } else {
        JsonResponses.write(res, out.status(), out.body());
      }
    } catch (ApiException e) {
      JsonResponses.error(res, e.status(), e.getMessage(), e.field());
    } catch (BodyLimitFilter.BodyTooLargeException e) {
      throw e;
    } catch (RuntimeException e) {
      LOG.error("admin API {} {} failed", req.getMethod(), req.getRequestURI(), e);
      JsonResponses.error(res, 500, "internal error; request id " + req.getAttribute(RequestIdFilter.ATTRIBUTE), null);
    }
  }
}
