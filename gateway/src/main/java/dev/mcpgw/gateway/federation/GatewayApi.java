package dev.mcpgw.gateway.federation;

import dev.mcpgw.gateway.http.ApiResponse;
import dev.mcpgw.gateway.http.ApiRoutes;

/** The {@code /gateways} routes of the admin API. */
public final class GatewayApi {
  private GatewayApi() {}

  public static void register(ApiRoutes routes, GatewayService service) {
    routes
        .post("/gateways", req -> ApiResponse.created(service.register(req.body(), req.caller()).visibleTo(req.caller())))
        .get("/gateways", req -> ApiResponse.ok(service.list(req.caller()).stream().map(v -> v.visibleTo(req.caller()))
            .toList()))
        .get("/gateways/{id}", req -> ApiResponse.ok(service.get(req.path("id"), req.caller()).visibleTo(req.caller())))
        .delete("/gateways/{id}", req -> {
          service.delete(req.path("id"), req.caller());
          return ApiResponse.noContent();
        })
        .post("/gateways/{id}/refresh", req -> ApiResponse.ok(service.refresh(req.path("id"), req.caller())
            .visibleTo(req.caller())));
  }
}
