package dev.mcpgw.gateway.federation;

import dev.mcpgw.gateway.http.ApiResponse;
import dev.mcpgw.gateway.http.ApiRoutes;

/**
 * The {@code /gateways/{id}/credentials} routes: a caller's own credential for a per-user upstream ({@code me}, any
 * authenticated caller), and an admin's deletion of a user's. Register before any route that would match
 * {@code me} as a user id.
 */
public final class CredentialApi {
  private CredentialApi() {}

  public static void register(ApiRoutes routes, CredentialService service) {
    routes
        .get("/gateways/{id}/credentials/me", req -> ApiResponse.ok(service.get(req.path("id"), req.caller())))
        .callerWrite("PUT", "/gateways/{id}/credentials/me", req -> ApiResponse.ok(service.put(req.path("id"),
            req.body(), req.caller())))
        .callerWrite("DELETE", "/gateways/{id}/credentials/me", req -> {
          service.deleteOwn(req.path("id"), req.caller());
          return ApiResponse.noContent();
        })
        .delete("/gateways/{id}/credentials/{user}", req -> {
          service.deleteFor(req.path("id"), req.path("user"), req.query("tenant"), req.caller());
          return ApiResponse.noContent();
        });
  }
}
