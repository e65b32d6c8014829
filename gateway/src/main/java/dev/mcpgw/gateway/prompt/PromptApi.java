package dev.mcpgw.gateway.prompt;

import dev.mcpgw.gateway.catalog.Catalog;
import dev.mcpgw.gateway.catalog.Scope;
import dev.mcpgw.gateway.http.ApiResponse;
import dev.mcpgw.gateway.http.ApiRoutes;

/** The {@code /prompts} routes: every prompt offered on {@code /mcp}, and the writes of local ones. */
public final class PromptApi {
  private PromptApi() {}

  public static void register(ApiRoutes routes, PromptService service, Catalog catalog) {
    routes
        .get("/prompts", req -> ApiResponse.ok(catalog.prompts(Scope.of(req.caller()))))
        .post("/prompts", req -> ApiResponse.created(service.create(req.body(), req.caller())))
        .delete("/prompts/{id}", req -> {
          service.delete(req.path("id"), req.caller());
          return ApiResponse.noContent();
        });
  }
}
