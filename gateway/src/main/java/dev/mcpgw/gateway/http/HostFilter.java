package dev.mcpgw.gateway.http;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;

/** Answers 403 JSON to a request whose {@code Host} the {@link HostPolicy} refuses; the probes are not checked. */
final class HostFilter extends HttpFilter {
  private static final long serialVersionUID = 1L;
  private static final Set<String> PROBES = Set.of("/health", "/ready");

  private final transient HostPolicy hosts;

  HostFilter(HostPolicy hosts) {
    this.hosts = hosts;
  }

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    if (PROBES.contains(req.getRequestURI()) || hosts.allows(req.getHeader("Host"))) {
      chain.doFilter(req, res);
      return;
    }
    JsonResponses.error(res, 403, "Host is not allowed (DNS-rebinding protection); add it to MCPGW_ALLOWED_HOSTS",
        "Host");
  }
}
