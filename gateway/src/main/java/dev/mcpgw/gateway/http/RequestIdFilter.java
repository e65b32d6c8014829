package dev.mcpgw.gateway.http;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/**
 * Gives every request an id: the client's {@code X-Request-ID} when it is a sane token, else a new time-ordered UUID
 * (version 7, RFC 9562). The id is the request attribute {@value #ATTRIBUTE}, the MDC key {@code request_id}, and the
 * response's {@code X-Request-ID}.
 *
 * <p>Time-ordered because the span store indexes request ids: ids that grow with time land at the end of that index,
 * where random ones dirtied a page of it per call and commit (ADR 0032). An id names a request; it is no secret and
 * grants nothing (a trace is found by its request id only within the caller's tenant), so its 74 random bits come from
 * {@link ThreadLocalRandom}, not from the blocking-prone {@code SecureRandom} of {@link UUID#randomUUID()}.
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
    String id = given != null && SAFE.matcher(given).matches() ? given : newId();
    req.setAttribute(ATTRIBUTE, id);
    res.setHeader(HEADER, id);
    MDC.put("request_id", id);
    try {
      chain.doFilter(req, res);
    } finally {
      MDC.remove("request_id");
    }
  }

  /** A version 7 UUID: 48 bits of Unix milliseconds, then random bits around the version and variant. */
  static String newId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long msb = (System.currentTimeMillis() << 16) | 0x7000L | (random.nextInt() & 0x0fffL);
    long lsb = (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
    return new UUID(msb, lsb).toString();
  }
}
