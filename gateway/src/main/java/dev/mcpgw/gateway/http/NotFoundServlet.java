package dev.mcpgw.gateway.http;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** The default servlet: a JSON 404 for every path nothing else serves. */
final class NotFoundServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse res) throws IOException {
    JsonResponses.error(res, 404, "no such endpoint: " + req.getMethod() + " " + req.getRequestURI(), null);
  }
}
