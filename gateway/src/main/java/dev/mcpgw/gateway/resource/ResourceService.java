package dev.mcpgw.gateway.resource;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.auth.Caller;
import dev.mcpgw.gateway.http.ApiException;
import dev.mcpgw.gateway.http.RequestFields;
import dev.mcpgw.gateway.store.ItemKind;
import dev.mcpgw.gateway.store.ItemRepository;
import dev.mcpgw.gateway.store.Ownership;
import dev.mcpgw.gateway.store.StoredItem;
import dev.mcpgw.gateway.tenancy.OwnerFields;
import dev.mcpgw.gateway.tenancy.TenantQuota;
import dev.mcpgw.gateway.store.OwnedKind;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;

/** Creates and deletes gateway-local resources. */
public final class ResourceService {
  private static final Set<String> FIELDS = Set.of("uri", "name", "description", "mimeType", "content");

  private final ItemRepository items;
  private final Runnable onChange;
  private final Clock clock = Clock.systemUTC();

  private final TenantQuota quota;

  public ResourceService(ItemRepository items, Runnable onChange) {
    this(items, onChange, TenantQuota.NONE);
  }

  /** @param quota how many local resources one tenant's admins may create */
  public ResourceService(ItemRepository items, Runnable onChange, TenantQuota quota) {
    this.quota = quota;
    this.items = items;
    this.onChange = onChange;
  }

  /** A gateway-local resource as the admin API returns it. */
  public record LocalResource(String id, String uri, String name, String description, String mimeType, String content,
      Instant createdAt, String tenant, String visibility, Set<String> sharedWith) {
    static LocalResource of(StoredItem i) {
      Ownership o = i.ownership() == null ? Ownership.DEFAULT_PRIVATE : i.ownership();
      return new LocalResource(i.id(), i.key(), i.definition().path("name").asText(null),
          i.definition().path("description").asText(null), i.definition().path("mimeType").asText(null), i.body(),
          i.createdAt(), o.tenantId(), o.visibility().wireName(), o.sortedSharedWith());
    }
  }

  /**
   * Stores a resource from a {@code POST /resources} body {@code {"uri", "name", "description", "mimeType", "content"}}.
   *
   * @throws ApiException 400 naming the field, 409 when a local resource has that URI
   */
  public LocalResource create(ObjectNode body) {
    return create(body, Caller.ANONYMOUS);
  }

  /** The same for {@code caller}: the resource belongs to its tenant, private, unless a platform admin says otherwise. */
  public LocalResource create(ObjectNode body, Caller caller) {
    Ownership owner = OwnerFields.forCreate(caller, body);
    quota.requireRoom(caller, owner, OwnedKind.RESOURCE);
    RequestFields f = RequestFields.of(body, FIELDS);
    String uri = f.requiredString("uri");
    try {
      if (new URI(uri).getScheme() == null) {
        throw ApiException.badRequest("uri", "'uri' must be an absolute URI with a scheme, e.g. docs://guide");
      }
    } catch (URISyntaxException e) {
      throw ApiException.badRequest("uri", "'uri' is not a valid URI: " + e.getReason());
    }
    String content = f.optionalString("content");
    if (content == null) {
      throw ApiException.badRequest("content", "'content' is required (the resource's text)");
    }
    String name = f.optionalString("name");
    String description = f.optionalString("description");
    String mimeType = f.optionalString("mimeType");
    if (items.findLocal(ItemKind.RESOURCE, owner.tenantId(), uri).isPresent()) {
      throw ApiException.conflict("uri", "a local resource with uri '" + uri + "' exists in this tenant");
    }
    ObjectNode definition = JsonNodeFactory.instance.objectNode()
        .put("uri", uri)
        .put("name", name == null ? uri : name)
        .put("mimeType", mimeType == null ? "text/plain" : mimeType);
    if (description != null) {
      definition.put("description", description);
    }
    StoredItem stored = items.insertLocal(ItemKind.RESOURCE, uri, definition, content, clock.instant(), owner);
    onChange.run();
    return LocalResource.of(stored);
  }

  /** @throws ApiException 404 when there is no local resource with this id */
  public void delete(String id) {
    delete(id, Caller.ANONYMOUS);
  }

  /** The same for {@code caller}: 404 when it does not see the resource, 403 when it may not manage it. */
  public void delete(String id, Caller caller) {
    StoredItem r = items.find(ItemKind.RESOURCE, id).filter(i -> i.gatewayId() == null).orElseThrow(() -> notFound(id));
    OwnerFields.requireManage(caller, r.ownership(), () -> notFound(id), "resource '" + r.key() + "'");
    if (!items.deleteLocal(ItemKind.RESOURCE, id)) {
      throw notFound(id);
    }
    onChange.run();
  }

  private static ApiException notFound(String id) {
    return ApiException.notFound("no local resource with id '" + id + "'");
  }
}
