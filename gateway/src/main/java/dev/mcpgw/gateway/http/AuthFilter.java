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

/**
 * Authenticates every request but the probes and sets its {@link Caller} as the request attribute
 * {@code Caller.class.getName()}; answers 401 with a JSON message otherwise.
 */
final class AuthFilter extends HttpFilter {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(AuthFilter.class);
  static final String CALLER = Caller.class.getName();
  private static final Set<String> OPEN = Set.of("/health", "/ready");

  private final transient Authenticator authenticator;

  AuthFilter(Authenticator authenticator) {
    this.authenticator = authenticator;
  }

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    String path = req.getRequestURI();
    if (OPEN.contains(path) || ConsoleCookies.open(path)) {
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
      LOG.debug("401 for {} {}: {}", req.getMethod(), req.getRequestURI(), e.getMessage());
      if (ConsoleCookies.console(path) && "GET".equals(req.getMethod())) {
        res.sendRedirect(ConsoleCookies.LOGIN);
        return;
      }
      res.setHeader("WWW-Authenticate", "Bearer realm=\"mcpgw\"");
      JsonResponses.error(res, 401, e.getMessage(), "Authorization");
      return;
    }
    req.setAttribute(CALLER, caller);
    chain.doFilter(req, res);
  }
}
