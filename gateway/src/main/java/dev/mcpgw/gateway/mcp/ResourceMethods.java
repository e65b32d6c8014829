package dev.mcpgw.gateway.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.catalog.Catalog;
import dev.mcpgw.gateway.catalog.CatalogEntry;
import dev.mcpgw.gateway.jsonrpc.JsonRpc;
import dev.mcpgw.gateway.jsonrpc.RpcException;
import dev.mcpgw.gateway.plugin.Hook;

/** {@code resources/list}, {@code resources/templates/list} and {@code resources/read} (local or upstream). */
final class ResourceMethods {
  private final Catalog catalog;
  private final Hooks hooks;
  private final UpstreamForwarder forwarder;

  ResourceMethods(Catalog catalog, Hooks hooks, UpstreamForwarder forwarder) {
    this.catalog = catalog;
    this.hooks = hooks;
    this.forwarder = forwarder;
  }

  JsonNode list(ObjectNode params, Exchange exchange) {
    return Listings.of("resources", catalog.resources(exchange.scope()), params);
  }

  JsonNode templates(ObjectNode params, Exchange exchange) {
    return Listings.of("resourceTemplates", catalog.resourceTemplates(exchange.scope()), params);
  }

  JsonNode read(ObjectNode params, Exchange exchange) {
    String uri = Params.requiredString(params, "uri");
    CatalogEntry resource = catalog.resource(exchange.scope(), uri).orElseThrow(() -> new RpcException(
        RpcException.RESOURCE_NOT_FOUND, "Resource not found: " + uri, JsonRpc.MAPPER.createObjectNode().put("uri", uri)));
    ObjectNode pre = hooks.run(Hook.RESOURCE_PRE_FETCH, exchange, JsonRpc.MAPPER.createObjectNode().put("uri", uri));
    String target = pre.path("uri").isTextual() ? pre.get("uri").textValue() : uri;

    JsonNode result;
    if (resource.isLocal()) {
      result = catalog.readLocalResource(resource);
    } else {
      ObjectNode upstreamParams = params.deepCopy();
      upstreamParams.put("uri", target);
      result = forwarder.forward(resource, "resources/read", upstreamParams, exchange);
    }
    ObjectNode post = pre.deepCopy();
    post.set("result", result);
    return hooks.run(Hook.RESOURCE_POST_FETCH, exchange, post).get("result");
  }
}
