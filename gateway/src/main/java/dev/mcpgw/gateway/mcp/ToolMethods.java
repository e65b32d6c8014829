package dev.mcpgw.gateway.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.catalog.Catalog;
import dev.mcpgw.gateway.catalog.CatalogEntry;
import dev.mcpgw.gateway.jsonrpc.JsonRpc;
import dev.mcpgw.gateway.jsonrpc.RpcException;
import dev.mcpgw.gateway.plugin.Hook;

/** {@code tools/list} and {@code tools/call}: a call goes to the owning upstream under the tool's original name. */
final class ToolMethods {
  private final Catalog catalog;
  private final Hooks hooks;
  private final UpstreamForwarder forwarder;

  ToolMethods(Catalog catalog, Hooks hooks, UpstreamForwarder forwarder) {
    this.catalog = catalog;
    this.hooks = hooks;
    this.forwarder = forwarder;
  }

  JsonNode list(ObjectNode params, Exchange exchange) {
    return Listings.of("tools", catalog.tools(exchange.scope()), params);
  }

  JsonNode call(ObjectNode params, Exchange exchange) {
    String name = Params.requiredString(params, "name");
    ObjectNode arguments = Params.optionalObject(params, "arguments");
    CatalogEntry tool = catalog.tool(exchange.scope(), name)
        .orElseThrow(() -> RpcException.invalidParams("Unknown tool: " + name, "params.name"));
    if (tool.isLocal()) {
      throw new RpcException(RpcException.INTERNAL_ERROR, "tool '" + name + "' has no upstream", null);
    }
    ObjectNode pre = JsonRpc.MAPPER.createObjectNode().put("name", name);
    pre.set("arguments", arguments == null ? JsonRpc.MAPPER.createObjectNode() : arguments.deepCopy());
    pre = hooks.run(Hook.TOOL_PRE_INVOKE, exchange, pre);

    // everything the client sent (_meta, fields of newer revisions) goes on; only the name and arguments change
    ObjectNode upstreamParams = params.deepCopy();
    upstreamParams.put("name", tool.originalName());
    if (arguments != null || pre.path("arguments").size() > 0) {
      upstreamParams.set("arguments", pre.get("arguments"));
    }
    JsonNode result = forwarder.forward(tool, "tools/call", upstreamParams, exchange);

    ObjectNode post = pre.deepCopy();
    post.set("result", result);
    return hooks.run(Hook.TOOL_POST_INVOKE, exchange, post).get("result");
  }
}
