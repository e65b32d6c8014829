package dev.mcpgw.gateway.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code GET /.well-known/oauth-protected-resource[/<resource path>]}: the RFC 9728 metadata, JSON, with no token
 * (readable by browser clients from any origin, preflight included: it holds nothing secret); a JSON 404 for paths
 * that name no resource.
 */
final class ResourceMetadataServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private final transient ResourceMetadata metadata;

  ResourceMetadataServlet(ResourceMetadata metadata) {
    this.metadata = metadata;
  }

  /** The CORS preflight of a browser client that sends {@code MCP-Protocol-Version} with its GET. */
  @Override
  protected void doOptions(HttpServletRequest req, HttpServletResponse res) {
    res.setHeader("Access-Control-Allow-Origin", "*");
    res.setHeader("Access-Control-Allow-Methods", "GET");
    res.setHeader("Access-Control-Allow-Headers", "MCP-Protocol-Version");
    res.setHeader("Access-Control-Max-Age", "600");
    res.setStatus(204);
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
    String path = req.getPathInfo() == null || "/".equals(req.getPathInfo()) ? "" : req.getPathInfo();
    ObjectNode doc = metadata.document(req, path);
    res.setHeader("Access-Control-Allow-Origin", "*");
    if (doc == null) {
      JsonResponses.error(res, 404, "no protected resource at " + ResourceMetadata.WELL_KNOWN
          + "<path>; resources: /mcp and /servers/{id}/mcp", null);
      return;
    }
    res.setHeader("Cache-Control", "max-age=300");
    JsonResponses.write(res, 200, doc);
  }
}
