package dev.mcpgw.gateway.transport;

import dev.mcpgw.gateway.catalog.Catalog;
import dev.mcpgw.gateway.http.OriginPolicy;
import dev.mcpgw.gateway.catalog.Scope;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Routes the MCP paths to their transport: {@code /mcp}, {@code /sse}, {@code /message} for everything, and the same
 * under {@code /servers/{id}/} for one virtual server (404 when it does not exist). Origin validation comes first.
 */
final class McpServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  private final transient Catalog catalog;
  private final transient OriginPolicy origins;
  private final transient StreamableHttp streamable;
  private final transient LegacySse legacy;
  private final transient Runnable onDestroy;

  McpServlet(Catalog catalog, OriginPolicy origins, StreamableHttp streamable, LegacySse legacy, Runnable onDestroy) {
    this.catalog = catalog;
    this.origins = origins;
    this.streamable = streamable;
    this.legacy = legacy;
    this.onDestroy = onDestroy;
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse res) throws IOException {
    if (!origins.allows(req.getHeader("Origin"))) {
      HttpAnswers.error(res, 403, "Origin is not allowed (DNS-rebinding protection)", "Origin");
      return;
    }
    String path = req.getServletPath() + (req.getPathInfo() == null ? "" : req.getPathInfo());
    // the caller's tenant is part of the scope: every list and lookup below sees only what the caller may see
    Scope scope = Scope.of(HttpAnswers.caller(req));
    String prefix = "";
    String endpoint = path;
    if (path.startsWith("/servers/")) {
      String rest = path.substring("/servers/".length());
      int slash = rest.indexOf('/');
      if (slash <= 0) {
        notFound(req, res);
        return;
      }
      String serverId = rest.substring(0, slash);
      endpoint = rest.substring(slash);
      scope = Scope.of(HttpAnswers.caller(req), serverId);
      if (!catalog.serverVisible(scope)) {
        HttpAnswers.error(res, 404, "no virtual server with id '" + serverId + "'", "id");
        return;
      }
      prefix = "/servers/" + serverId;
    }
    switch (endpoint) {
      case "/mcp" -> streamable.handle(req, res, scope);
      case "/sse" -> legacy.open(req, res, scope, prefix + "/message");
      case "/message" -> legacy.message(req, res, scope);
      default -> notFound(req, res);
    }
  }

  private static void notFound(HttpServletRequest req, HttpServletResponse res) throws IOException {
    HttpAnswers.error(res, 404, "no such endpoint: " + req.getMethod() + " " + req.getRequestURI(), null);
  }

  @Override
  public void destroy() {
    onDestroy.run();
  }
}
