package dev.mcpgw.gateway.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.catalog.Catalog;
import dev.mcpgw.gateway.catalog.CatalogEntry;
import dev.mcpgw.gateway.jsonrpc.JsonRpc;
import dev.mcpgw.gateway.jsonrpc.RpcException;
import dev.mcpgw.gateway.plugin.Hook;
import dev.mcpgw.gateway.usage.Metering;
import dev.mcpgw.gateway.usage.QuotaExceeded;
import dev.mcpgw.gateway.usage.ToolCall;

/** {@code tools/list} and {@code tools/call}: a call goes to the owning upstream under the tool's original name. */
final class ToolMethods {
  private final Catalog catalog;
  private final Hooks hooks;
  private final UpstreamForwarder forwarder;
  private final Metering metering;

  ToolMethods(Catalog catalog, Hooks hooks, UpstreamForwarder forwarder, Metering metering) {
    this.catalog = catalog;
    this.hooks = hooks;
    this.forwarder = forwarder;
    this.metering = metering;
  }

  JsonNode list(ObjectNode params, Exchange exchange) {
    return Listings.of("tools", catalog.tools(exchange.scope()), params);
  }

  JsonNode call(ObjectNode params, Exchange exchange) {
    long started = System.nanoTime();
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
    // quotas before anything is forwarded: a rejected call never reaches its upstream
    String tenant = exchange.caller().tenantId();
    String user = exchange.caller().userId();
    QuotaExceeded over = metering.admit(tenant, user);
    if (over != null) {
      throw new RpcException(QuotaExceeded.CODE, over.message(), over.data());
    }
    JsonNode answer = null;
    try {
      JsonNode result = forwarder.forward(tool, "tools/call", upstreamParams, exchange);
      ObjectNode post = pre.deepCopy();
      post.set("result", result);
      answer = hooks.run(Hook.TOOL_POST_INVOKE, exchange, post).get("result");
      return answer;
    } finally {
      boolean ok = answer != null && !answer.path("isError").asBoolean(false);
      metering.record(new ToolCall(tenant, user, name, tool.gatewayName(), ok, true, System.nanoTime() - started,
          upstreamParams.get("arguments"), answer, System.currentTimeMillis()));
    }
  }
}
