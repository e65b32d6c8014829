package dev.mcpgw.gateway.http;

import dev.mcpgw.gateway.auth.AuthenticationException;
import dev.mcpgw.gateway.auth.Authenticator;
import dev.mcpgw.gateway.auth.Caller;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Authenticates every request but the probes and the protected-resource metadata, and sets its {@link Caller} as the
 * request attribute {@code Caller.class.getName()}; answers 401 (403 for a missing scope) with a JSON message and a
 * {@code WWW-Authenticate} challenge naming the error and the resource metadata otherwise.
 */
final class AuthFilter extends HttpFilter {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(AuthFilter.class);
  static final String CALLER = Caller.class.getName();
  private static final Set<String> OPEN = Set.of("/health", "/ready");

  private final transient Authenticator authenticator;
  private final transient ResourceMetadata metadata;

  AuthFilter(Authenticator authenticator, ResourceMetadata metadata) {
    this.authenticator = authenticator;
    this.metadata = metadata;
  }

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    String path = req.getRequestURI();
    // the metadata by its decoded, normalised path: the one the servlet mapping routes by
    String routed = req.getServletPath() + (req.getPathInfo() == null ? "" : req.getPathInfo());
    if (OPEN.contains(path) || ConsoleCookies.open(path) || ResourceMetadata.isMetadataPath(routed)) {
      chain.doFilter(req, res);
      return;
    }
    String authorization = req.getHeader("Authorization");
    if (authorization == null && ConsoleCookies.acceptsCookie(path)) {
      authorization = ConsoleCookies.authorization(req);
    }
    Caller caller;
    try {
      caller = authenticator.authenticate(authorization);
    } catch (AuthenticationException e) {
      // the reason only: never the credentials
      int status = e.failure().status();
      LOG.debug("{} for {} {}: {}", status, req.getMethod(), req.getRequestURI(), e.getMessage());
      if (ConsoleCookies.console(path) && "GET".equals(req.getMethod())) {
        res.sendRedirect(ConsoleCookies.LOGIN);
        return;
      }
      res.setHeader("WWW-Authenticate", metadata.challenge(req, e));
      JsonResponses.error(res, status, e.getMessage(), "Authorization");
      return;
    }
    req.setAttribute(CALLER, caller);
    // the caller's ids on every log line written while the request runs (user_id, tenant_id of the JSON lines)
    // (control characters out: a token's subject must not forge a human log line)
    MDC.put("user_id", caller.userIdForLog());
    MDC.put("tenant_id", caller.tenantIdForLog());
    try {
      chain.doFilter(req, res);
    } finally {
      MDC.remove("user_id");
      MDC.remove("tenant_id");
    }
  }
}
