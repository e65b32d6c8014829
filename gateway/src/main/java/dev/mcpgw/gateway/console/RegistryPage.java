package dev.mcpgw.gateway.console;

import dev.mcpgw.gateway.catalog.CatalogEntry;
import dev.mcpgw.gateway.federation.GatewayView;
import dev.mcpgw.gateway.server.ServerService;
import java.util.List;

/** The registry as the caller sees it: upstreams with their status, the tools they offer, virtual servers. */
final class RegistryPage {
  private RegistryPage() {}

  static Html body(List<GatewayView> upstreams, List<CatalogEntry> tools, List<ServerService.ServerView> servers) {
    Html h = new Html();
    h.raw("<section><h2>Upstreams</h2><table id=\"upstreams\"><thead><tr><th>Name</th><th>Transport</th><th>URL</th>"
        + "<th>Status</th><th>Circuit</th><th>Tools</th><th>Tenant</th><th>Visibility</th></tr></thead><tbody>");
    for (GatewayView g : upstreams) {
      h.raw("<tr").attr("class", "healthy".equals(g.status()) ? "ok" : "error").raw(">").el("td", g.name())
          .el("td", g.transport()).el("td", g.url() == null ? g.command() : g.url()).el("td", g.status())
          .el("td", g.health() == null ? "" : g.health().circuitState())
          .el("td", g.counts() == null ? "" : g.counts().getOrDefault("tools", 0))
          .el("td", g.tenant()).el("td", g.visibility()).raw("</tr>");
    }
    h.raw("</tbody></table></section><section><h2>Tools</h2><table id=\"tools\"><thead><tr><th>Name</th>"
        + "<th>Upstream</th><th>Description</th></tr></thead><tbody>");
    for (CatalogEntry t : tools) {
      h.raw("<tr>").el("td", t.exposedName()).el("td", t.gatewayName())
          .el("td", t.definition() == null ? "" : t.definition().path("description").asText("")).raw("</tr>");
    }
    h.raw("</tbody></table></section><section><h2>Virtual servers</h2>");
    if (servers.isEmpty()) {
      h.raw("<p class=\"note\">None.</p>");
    } else {
      h.raw("<table id=\"servers\"><thead><tr><th>Name</th><th>Endpoint</th><th>Tools</th><th>Tenant</th>"
          + "<th>Visibility</th></tr></thead><tbody>");
      for (ServerService.ServerView s : servers) {
        h.raw("<tr>").el("td", s.name()).el("td", s.mcpPath()).el("td", s.tools() == null ? 0 : s.tools().size())
            .el("td", s.tenant()).el("td", s.visibility()).raw("</tr>");
      }
      h.raw("</tbody></table>");
    }
    return h.raw("</section>");
  }
}
