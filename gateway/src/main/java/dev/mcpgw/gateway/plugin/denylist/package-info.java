/**
 * The built-in {@code deny_list} plugin: refuses tools, prompts and resources whose name or URI matches a denied name
 * or glob, for every tenant or for one tenant.
 */
package dev.mcpgw.gateway.plugin.denylist;
