package dev.mcpgw.gateway.http;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/**
 * Gives every request an id: the client's {@code X-Request-ID} when it is a sane token, else a new UUID. The id is
 * the request attribute {@value #ATTRIBUTE}, the MDC key {@code request_id}, and the response's {@code X-Request-ID}.
 */
public final class RequestIdFilter extends HttpFilter {
  private static final long serialVersionUID = 1L;
  public static final String ATTRIBUTE = "mcpgw.requestId";
  public static final String HEADER = "X-Request-ID";
  // ids end up in logs and headers: refuse anything that could forge a log line or a header
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:\\-]{1,128}");

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    String given = req.getHeader(HEADER);
    String id = given != null && SAFE.matcher(given).matches() ? given : UUID.randomUUID().toString();
    req.setAttribute(ATTRIBUTE, id);
    res.setHeader(HEADER, id);
    MDC.put("request_id", id);
    try {
      chain.doFilter(req, res);
    } finally {
      MDC.remove("request_id");
    }
  }
}
