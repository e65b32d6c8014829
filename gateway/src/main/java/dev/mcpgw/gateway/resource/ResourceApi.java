package dev.mcpgw.gateway.resource;

import dev.mcpgw.gateway.catalog.Catalog;
import dev.mcpgw.gateway.catalog.Scope;
import dev.mcpgw.gateway.http.ApiResponse;
import dev.mcpgw.gateway.http.ApiRoutes;

/** The {@code /resources} routes: every resource and template offered on {@code /mcp}, and local writes. */
public final class ResourceApi {
  private ResourceApi() {}

  public static void register(ApiRoutes routes, ResourceService service, Catalog catalog) {
    routes
        .get("/resources", req -> ApiResponse.ok(catalog.resources(Scope.of(req.caller()))))
        .get("/resources/templates", req -> ApiResponse.ok(catalog.resourceTemplates(Scope.of(req.caller()))))
        .post("/resources", req -> ApiResponse.created(service.create(req.body(), req.caller())))
        .delete("/resources/{id}", req -> {
          service.delete(req.path("id"), req.caller());
          return ApiResponse.noContent();
        });
  }
}
