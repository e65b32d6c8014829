package dev.mcpgw.gateway.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.catalog.Catalog;
import dev.mcpgw.gateway.catalog.CatalogEntry;
import dev.mcpgw.gateway.jsonrpc.JsonRpc;
import dev.mcpgw.gateway.jsonrpc.RpcException;
import dev.mcpgw.gateway.plugin.Hook;

/** {@code prompts/list} and {@code prompts/get}: local prompts are rendered here, the others fetched upstream. */
final class PromptMethods {
  private final Catalog catalog;
  private final Hooks hooks;
  private final UpstreamForwarder forwarder;

  PromptMethods(Catalog catalog, Hooks hooks, UpstreamForwarder forwarder) {
    this.catalog = catalog;
    this.hooks = hooks;
    this.forwarder = forwarder;
  }

  JsonNode list(ObjectNode params, Exchange exchange) {
    return Listings.of("prompts", catalog.prompts(exchange.scope()), params);
  }

  JsonNode get(ObjectNode params, Exchange exchange) {
    String name = Params.requiredString(params, "name");
    ObjectNode arguments = Params.optionalObject(params, "arguments");
    CatalogEntry prompt = catalog.prompt(exchange.scope(), name)
        .orElseThrow(() -> RpcException.invalidParams("Unknown prompt: " + name, "params.name"));
    ObjectNode pre = JsonRpc.MAPPER.createObjectNode().put("name", name);
    pre.set("arguments", arguments == null ? JsonRpc.MAPPER.createObjectNode() : arguments.deepCopy());
    pre = hooks.run(Hook.PROMPT_PRE_FETCH, exchange, pre);
    ObjectNode finalArguments = pre.get("arguments") instanceof ObjectNode o ? o : JsonRpc.MAPPER.createObjectNode();

    JsonNode result;
    if (prompt.isLocal()) {
      try {
        result = catalog.renderLocalPrompt(prompt, finalArguments);
      } catch (IllegalArgumentException e) {
        // the renderer's message names the missing or bad argument
        throw RpcException.invalidParams(e.getMessage(), "params.arguments");
      }
    } else {
      ObjectNode upstreamParams = params.deepCopy();
      upstreamParams.put("name", prompt.originalName());
      if (arguments != null || !finalArguments.isEmpty()) {
        upstreamParams.set("arguments", finalArguments);
      }
      result = forwarder.forward(prompt, "prompts/get", upstreamParams, exchange);
    }
    ObjectNode post = pre.deepCopy();
    post.set("result", result);
    return hooks.run(Hook.PROMPT_POST_FETCH, exchange, post).get("result");
  }
}
