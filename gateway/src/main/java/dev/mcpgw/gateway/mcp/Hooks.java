package dev.mcpgw.gateway.mcp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.jsonrpc.JsonRpc;
import dev.mcpgw.gateway.jsonrpc.RpcException;
import dev.mcpgw.gateway.plugin.Hook;
import dev.mcpgw.gateway.plugin.HookOutcome;
import dev.mcpgw.gateway.plugin.PluginChain;

/** Runs one plugin hook for the dispatcher: a blocked request becomes a JSON-RPC error naming the plugin. */
final class Hooks {
  private final PluginChain chain;

  Hooks(PluginChain chain) {
    this.chain = chain;
  }

  /** The payload after the plugins ran. */
  ObjectNode run(Hook hook, Exchange exchange, ObjectNode payload) {
    HookOutcome outcome = chain.run(hook, exchange.hookContext(), payload);
    if (outcome instanceof HookOutcome.Blocked b) {
      ObjectNode data = JsonRpc.MAPPER.createObjectNode().put("plugin", b.plugin()).put("hook", hook.configName())
          .put("reason", b.reason());
      throw new RpcException(b.code(), "blocked by plugin '" + b.plugin() + "': " + b.reason(), data);
    }
    if (outcome instanceof HookOutcome.Proceed p && p.payload() != null) {
      return p.payload();
    }
    return payload;
  }
}
