package dev.mcpgw.gateway.http;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** {@code /health}: 200 while the process serves. {@code /ready}: 200 only while the database answers, else 503. */
final class ProbeServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private final transient BooleanSupplier databaseReachable;

  ProbeServlet(BooleanSupplier databaseReachable) {
    this.databaseReachable = databaseReachable;
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
    res.setHeader("Cache-Control", "no-store");
    if ("/health".equals(req.getRequestURI())) {
      JsonResponses.write(res, 200, Map.of("status", "up"));
    } else if (databaseReachable.getAsBoolean()) {
      JsonResponses.write(res, 200, Map.of("status", "ready", "database", "up"));
    } else {
      JsonResponses.write(res, 503, Map.of("status", "unavailable", "database", "down"));
    }
  }
}
