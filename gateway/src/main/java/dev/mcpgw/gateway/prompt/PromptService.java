package dev.mcpgw.gateway.prompt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.auth.Caller;
import dev.mcpgw.gateway.catalog.PromptRenderer;
import dev.mcpgw.gateway.http.ApiException;
import dev.mcpgw.gateway.http.RequestFields;
import dev.mcpgw.gateway.store.ItemKind;
import dev.mcpgw.gateway.store.ItemRepository;
import dev.mcpgw.gateway.store.Ownership;
import dev.mcpgw.gateway.store.StoredItem;
import dev.mcpgw.gateway.tenancy.OwnerFields;
import dev.mcpgw.gateway.tenancy.TenantQuota;
import dev.mcpgw.gateway.store.OwnedKind;
import java.time.Clock;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/** Creates and deletes gateway-local prompts. */
public final class PromptService {
  private static final Set<String> FIELDS = Set.of("name", "description", "template", "arguments");
  private static final Set<String> ARGUMENT_FIELDS = Set.of("name", "description", "required");
  private static final Pattern ARGUMENT_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");

  private final ItemRepository items;
  private final PromptRenderer renderer;
  private final Runnable onChange;
  private final Clock clock;
  private final TenantQuota quota;

  public PromptService(ItemRepository items, PromptRenderer renderer, Runnable onChange) {
    this(items, renderer, onChange, TenantQuota.NONE);
  }

  /** @param quota how many local prompts one tenant's admins may create */
  public PromptService(ItemRepository items, PromptRenderer renderer, Runnable onChange, TenantQuota quota) {
    this.quota = quota;
    this.items = items;
    this.renderer = renderer;
    this.onChange = onChange;
    this.clock = Clock.systemUTC();
  }

  /**
   * Stores a prompt from a {@code POST /prompts} body {@code {"name", "description", "template", "arguments":
   * [{"name", "description", "required"}]}}.
   *
   * @throws ApiException 400 naming the field, 409 when a local prompt of that name exists
   */
  public LocalPrompt create(ObjectNode body) {
    return create(body, Caller.ANONYMOUS);
  }

  /** The same for {@code caller}: the prompt belongs to its tenant, private, unless a platform admin says otherwise. */
  public LocalPrompt create(ObjectNode body, Caller caller) {
    Ownership owner = OwnerFields.forCreate(caller, body);
    quota.requireRoom(caller, owner, OwnedKind.PROMPT);
    RequestFields f = RequestFields.of(body, FIELDS);
    String name = f.name("name");
    String description = f.optionalString("description");
    String template = f.requiredString("template");
    String syntax = renderer.syntaxError(template);
    if (syntax != null) {
      throw ApiException.badRequest("template", "'template' is not a valid Jinja template: " + syntax);
    }
    ArrayNode arguments = arguments(f.node("arguments"));
    if (items.findLocal(ItemKind.PROMPT, owner.tenantId(), name).isPresent()) {
      throw ApiException.conflict("name", "a local prompt named '" + name + "' exists in this tenant");
    }
    ObjectNode definition = JsonNodeFactory.instance.objectNode().put("name", name);
    if (description != null) {
      definition.put("description", description);
    }
    definition.set("arguments", arguments);
    StoredItem stored = items.insertLocal(ItemKind.PROMPT, name, definition, template, clock.instant(), owner);
    onChange.run();
    return LocalPrompt.of(stored);
  }

  /** @throws ApiException 404 when there is no local prompt with this id */
  public void delete(String id) {
    delete(id, Caller.ANONYMOUS);
  }

  /** The same for {@code caller}: 404 when it does not see the prompt, 403 when it may not manage it. */
  public void delete(String id, Caller caller) {
    StoredItem p = items.find(ItemKind.PROMPT, id).filter(i -> i.gatewayId() == null).orElseThrow(() -> notFound(id));
    OwnerFields.requireManage(caller, p.ownership(), () -> notFound(id), "prompt '" + p.key() + "'");
    if (!items.deleteLocal(ItemKind.PROMPT, id)) {
      throw notFound(id);
    }
    onChange.run();
  }

  private static ApiException notFound(String id) {
    return ApiException.notFound("no local prompt with id '" + id + "'");
  }

  private static ArrayNode arguments(JsonNode node) {
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    if (node == null) {
      return out;
    }
    if (!node.isArray()) {
      throw ApiException.badRequest("arguments", "'arguments' must be an array of {name, description, required}");
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < node.size(); i++) {
      String at = "arguments[" + i + "]";
      if (!(node.get(i) instanceof ObjectNode arg)) {
        throw ApiException.badRequest(at, "'" + at + "' must be an object {name, description, required}");
      }
      RequestFields a;
      try {
        a = RequestFields.of(arg, ARGUMENT_FIELDS);
      } catch (ApiException e) {
        throw ApiException.badRequest(at + "." + e.field(), e.getMessage());
      }
      String name = a.optionalString("name");
      if (name == null || !ARGUMENT_NAME.matcher(name).matches()) {
        throw ApiException.badRequest(at + ".name",
            "'" + at + ".name' is required: a template variable name (letters, digits, '_')");
      }
      if (!seen.add(name)) {
        throw ApiException.badRequest(at + ".name", "argument '" + name + "' is declared twice");
      }
      ObjectNode clean = out.addObject().put("name", name);
      String description = a.optionalString("description");
      if (description != null) {
        clean.put("description", description);
      }
      Boolean required = a.optionalBoolean("required");
      clean.put("required", required != null && required);
    }
    return out;
  }
}
