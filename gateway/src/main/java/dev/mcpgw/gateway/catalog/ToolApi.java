package dev.mcpgw.gateway.catalog;

import dev.mcpgw.gateway.http.ApiResponse;
import dev.mcpgw.gateway.http.ApiRoutes;

/** {@code GET /tools}: tools are discovered from upstreams, so the API only lists them. */
public final class ToolApi {
  private ToolApi() {}

  public static void register(ApiRoutes routes, Catalog catalog) {
    routes.get("/tools", req -> ApiResponse.ok(catalog.tools(Scope.of(req.caller()))));
  }
}
