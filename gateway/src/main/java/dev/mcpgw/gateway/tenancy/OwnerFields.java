package dev.mcpgw.gateway.tenancy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.auth.Caller;
import dev.mcpgw.gateway.http.ApiException;
import dev.mcpgw.gateway.store.Ownership;
import dev.mcpgw.gateway.store.Visibility;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The owner fields of registry bodies ({@code tenant}, {@code visibility}, {@code sharedWith}) and the access checks
 * every admin route makes: invisible entities do not exist (404), visible ones a caller may not manage are 403.
 */
public final class OwnerFields {
  static final int MAX_TENANT_LENGTH = 64;
  /** The most tenants one entity is shared with by name; beyond that, {@code public} is what is meant. */
  static final int MAX_SHARED_WITH = 100;
  static final String PLATFORM_ONLY = "only a platform admin (a token minted with --platform-admin) sets 'tenant',"
      + " 'visibility' or 'sharedWith'; what a tenant admin creates is private to its tenant";

  static final String CHANGE_PLATFORM_ONLY = "only a platform admin (a token minted with --platform-admin) changes"
      + " the visibility of an entity";

  private OwnerFields() {}

  /**
   * Takes the owner fields out of a create body (so the entity's own parser never sees them) and decides who owns the
   * new entity: the caller's tenant, private, unless a platform admin says otherwise.
   *
   * @throws ApiException 403 when a caller who is not a platform admin sets an owner field; 400 naming a bad one
   */
  public static Ownership forCreate(Caller caller, ObjectNode body) {
    JsonNode tenant = body.remove("tenant");
    JsonNode visibility = body.remove("visibility");
    JsonNode sharedWith = body.remove("sharedWith");
    if (tenant == null && visibility == null && sharedWith == null) {
      return Ownership.privateTo(caller.tenantId());
    }
    if (!caller.platformAdmin()) {
      throw new ApiException(403, PLATFORM_ONLY, tenant != null ? "tenant" : visibility != null ? "visibility" : "sharedWith");
    }
    String owner = tenant == null || tenant.isNull() ? caller.tenantId() : tenantId(tenant, "tenant");
    return ownership(owner, visibility, sharedWith);
  }

  /**
   * The new ownership a {@code PUT .../visibility} body {@code {"visibility", "sharedWith"}} asks for; the tenant stays.
   *
   * @throws ApiException 403 unless the caller is a platform admin, 400 naming a bad field
   */
  public static Ownership forChange(Caller caller, String tenantId, ObjectNode body) {
    if (!caller.platformAdmin()) {
      throw new ApiException(403, CHANGE_PLATFORM_ONLY, "visibility");
    }
    body.fieldNames().forEachRemaining(f -> {
      if (!f.equals("visibility") && !f.equals("sharedWith")) {
        throw ApiException.badRequest(f, "unknown field '" + f + "'; allowed: sharedWith, visibility");
      }
    });
    if (body.get("visibility") == null) {
      throw ApiException.badRequest("visibility", "'visibility' is required: private, shared or public");
    }
    return ownership(tenantId, body.get("visibility"), body.get("sharedWith"));
  }

  /** @throws ApiException the {@code notFound} one when {@code caller} does not see the entity */
  public static void requireVisible(Caller caller, Ownership owner, Supplier<ApiException> notFound) {
    if (!owner.visibleTo(caller)) {
      throw notFound.get();
    }
  }

  /**
   * @throws ApiException the {@code notFound} one when {@code caller} does not see the entity, 403 when it sees it but
   *     is neither a platform admin nor an admin of the owning tenant
   */
  public static void requireManage(Caller caller, Ownership owner, Supplier<ApiException> notFound, String what) {
    requireVisible(caller, owner, notFound);
    if (!owner.manageableBy(caller)) {
      throw new ApiException(403, what + " belongs to another tenant; only its tenant's admins or a platform admin"
          + " may change or delete it", null);
    }
  }

  private static Ownership ownership(String tenantId, JsonNode visibilityNode, JsonNode sharedWithNode) {
    Visibility visibility = Visibility.PRIVATE;
    if (visibilityNode != null && !visibilityNode.isNull()) {
      visibility = visibilityNode.isTextual() ? Visibility.fromWireName(visibilityNode.textValue()) : null;
      if (visibility == null) {
        throw ApiException.badRequest("visibility", "'visibility' is invalid; allowed: private, shared, public");
      }
    }
    Set<String> shared = new LinkedHashSet<>();
    if (sharedWithNode != null && !sharedWithNode.isNull()) {
      if (!sharedWithNode.isArray()) {
        throw ApiException.badRequest("sharedWith", "'sharedWith' must be an array of tenant ids");
      }
      if (sharedWithNode.size() > MAX_SHARED_WITH) {
        throw ApiException.badRequest("sharedWith", "'sharedWith' names at most " + MAX_SHARED_WITH
            + " tenants; to share with every tenant use 'visibility': public");
      }
      for (int i = 0; i < sharedWithNode.size(); i++) {
        shared.add(tenantId(sharedWithNode.get(i), "sharedWith[" + i + "]"));
      }
    }
    if (visibility == Visibility.SHARED && shared.isEmpty()) {
      throw ApiException.badRequest("sharedWith", "'sharedWith' must name at least one tenant when 'visibility' is shared");
    }
    if (visibility != Visibility.SHARED && !shared.isEmpty()) {
      throw ApiException.badRequest("sharedWith", "'sharedWith' is used only with 'visibility': shared");
    }
    return new Ownership(tenantId, visibility, shared);
  }

  private static String tenantId(JsonNode node, String field) {
    if (node == null || !node.isTextual() || node.textValue().isBlank() || node.textValue().length() > MAX_TENANT_LENGTH) {
      throw ApiException.badRequest(field, "'" + field + "' must be a tenant id: 1-" + MAX_TENANT_LENGTH + " characters");
    }
    return node.textValue();
  }
}
