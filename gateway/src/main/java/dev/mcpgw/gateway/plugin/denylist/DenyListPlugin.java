package dev.mcpgw.gateway.plugin.denylist;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.plugin.Hook;
import dev.mcpgw.gateway.plugin.HookContext;
import dev.mcpgw.gateway.plugin.Plugin;
import dev.mcpgw.gateway.plugin.PluginResult;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * Refuses tool calls, prompt fetches and resource reads whose name (or URI) matches a denied name or glob, for every
 * tenant or for one tenant. Runs only at the pre hooks that have rules.
 */
final class DenyListPlugin implements Plugin {

  /**
   * The rules of one hook.
   *
   * @param everyone denied for every tenant
   * @param byTenant denied for the tenant that is the key, in addition to {@code everyone}
   */
  record Rules(GlobSet everyone, Map<String, GlobSet> byTenant) {
    Rules {
      byTenant = Map.copyOf(byTenant);
    }

    boolean isEmpty() {
      return everyone.isEmpty() && byTenant.values().stream().allMatch(GlobSet::isEmpty);
    }
  }

  private final Map<Hook, Rules> rules;

  DenyListPlugin(Map<Hook, Rules> rules) {
    this.rules = new EnumMap<>(rules);
    this.rules.values().removeIf(Rules::isEmpty);
  }

  @Override
  public Set<Hook> hooks() {
    return rules.isEmpty() ? Set.of() : Set.copyOf(rules.keySet());
  }

  @Override
  public PluginResult apply(Hook hook, HookContext context, ObjectNode payload) {
    Rules r = rules.get(hook);
    if (r == null) {
      return PluginResult.proceed();
    }
    boolean resource = hook == Hook.RESOURCE_PRE_FETCH;
    String target = payload.path(resource ? "uri" : "name").asText("");
    String what = resource ? "resource" : hook == Hook.PROMPT_PRE_FETCH ? "prompt" : "tool";
    if (r.everyone().matches(target)) {
      return PluginResult.block(what + " '" + target + "' is denied");
    }
    String tenant = context.caller().tenantId();
    GlobSet own = r.byTenant().get(tenant);
    if (own != null && own.matches(target)) {
      return PluginResult.block(what + " '" + target + "' is denied for tenant " + tenant);
    }
    return PluginResult.proceed();
  }
}
