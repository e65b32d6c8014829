package dev.mcpgw.gateway.server;

import dev.mcpgw.gateway.http.ApiResponse;
import dev.mcpgw.gateway.http.ApiRoutes;

/** The {@code /servers} routes of the admin API ({@code /servers/{id}/mcp} belongs to the MCP endpoints). */
public final class ServerApi {
  private ServerApi() {}

  public static void register(ApiRoutes routes, ServerService service) {
    routes
        .post("/servers", req -> ApiResponse.created(service.create(req.body(), req.caller())))
        .get("/servers", req -> ApiResponse.ok(service.list(req.caller())))
        .get("/servers/{id}", req -> ApiResponse.ok(service.get(req.path("id"), req.caller())))
        .delete("/servers/{id}", req -> {
          service.delete(req.path("id"), req.caller());
          return ApiResponse.noContent();
        });
  }
}
