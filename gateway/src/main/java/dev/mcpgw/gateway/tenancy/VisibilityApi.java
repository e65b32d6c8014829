package dev.mcpgw.gateway.tenancy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.http.ApiException;
import dev.mcpgw.gateway.http.ApiResponse;
import dev.mcpgw.gateway.http.ApiRoutes;
import dev.mcpgw.gateway.store.OwnedKind;
import dev.mcpgw.gateway.store.Ownership;
import dev.mcpgw.gateway.store.Ownerships;
import java.util.Set;

/**
 * {@code PUT /{gateways|prompts|resources|servers}/{id}/visibility} {@code {"visibility", "sharedWith"}}: a platform
 * admin makes an entity private to its tenant, shares it with named tenants, or makes it public.
 */
public final class VisibilityApi {
  private VisibilityApi() {}

  /** An entity's owner as the API answers it. */
  public record OwnerView(String id, String tenant, String visibility, Set<String> sharedWith) {
    static OwnerView of(String id, Ownership o) {
      return new OwnerView(id, o.tenantId(), o.visibility().wireName(), o.sortedSharedWith());
    }
  }

  public static void register(ApiRoutes routes, Ownerships ownerships, Runnable onChange) {
    for (OwnedKind kind : OwnedKind.values()) {
      String collection = switch (kind) {
        case GATEWAY -> "gateways";
        case PROMPT -> "prompts";
        case RESOURCE -> "resources";
        case SERVER -> "servers";
      };
      routes.put("/" + collection + "/{id}/visibility", req -> {
        String id = req.path("id");
        if (!req.caller().platformAdmin()) {
          // decided before the lookup: a tenant admin learns nothing about ids it cannot see
          throw new ApiException(403, OwnerFields.CHANGE_PLATFORM_ONLY, "visibility");
        }
        ObjectNode body = req.body();
        Ownership current = ownerships.find(kind, id).orElseThrow(() -> ApiException.notFound(
            "no " + (kind == OwnedKind.GATEWAY ? "upstream" : kind == OwnedKind.SERVER ? "virtual server"
                : "local " + kind.wireName()) + " with id '" + id + "'"));
        Ownership wanted = OwnerFields.forChange(req.caller(), current.tenantId(), body);
        if (!ownerships.changeVisibility(kind, id, wanted.visibility(), wanted.sharedWith())) {
          throw ApiException.notFound("no " + kind.wireName() + " with id '" + id + "'");
        }
        onChange.run();
        return ApiResponse.ok(OwnerView.of(id, wanted));
      });
    }
  }
}
