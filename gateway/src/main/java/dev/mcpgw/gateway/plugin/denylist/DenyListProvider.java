package dev.mcpgw.gateway.plugin.denylist;

import dev.mcpgw.gateway.plugin.Hook;
import dev.mcpgw.gateway.plugin.Plugin;
import dev.mcpgw.gateway.plugin.PluginConfig;
import dev.mcpgw.gateway.plugin.PluginOptions;
import dev.mcpgw.gateway.plugin.PluginProvider;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * Kind {@code deny_list}. Keys: {@code tools}, {@code prompts}, {@code resources} (names or globs denied for every
 * tenant) and {@code tenants} (a mapping of tenant id to the same three keys, denied for that tenant only). At least
 * one list must be given.
 */
public final class DenyListProvider implements PluginProvider {
  public static final String KIND = "deny_list";
  private static final Map<String, Hook> LISTS = Map.of(
      "tools", Hook.TOOL_PRE_INVOKE, "prompts", Hook.PROMPT_PRE_FETCH, "resources", Hook.RESOURCE_PRE_FETCH);

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public Plugin create(PluginConfig config, PluginOptions options) {
    options.allowOnly("tools", "prompts", "resources", "tenants");
    PluginOptions tenants = options.mapping("tenants");
    Map<Hook, DenyListPlugin.Rules> rules = new EnumMap<>(Hook.class);
    for (Map.Entry<String, Hook> list : LISTS.entrySet()) {
      Map<String, GlobSet> byTenant = new HashMap<>();
      for (String tenant : tenants.keys()) {
        PluginOptions t = tenants.mapping(tenant).allowOnly("tools", "prompts", "resources");
        byTenant.put(tenant, new GlobSet(t.textList(list.getKey())));
      }
      rules.put(list.getValue(), new DenyListPlugin.Rules(new GlobSet(options.textList(list.getKey())), byTenant));
    }
    DenyListPlugin plugin = new DenyListPlugin(rules);
    if (plugin.hooks().isEmpty()) {
      throw options.invalid("denies nothing; allowed: at least one name or glob under tools, prompts, resources or "
          + "tenants.<tenant id>.tools|prompts|resources");
    }
    return plugin;
  }
}
