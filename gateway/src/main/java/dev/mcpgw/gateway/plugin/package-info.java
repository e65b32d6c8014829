/**
 * Plugins: the SPI ({@link dev.mcpgw.gateway.plugin.Plugin}, {@link dev.mcpgw.gateway.plugin.PluginProvider} found by
 * {@link java.util.ServiceLoader}) of ordered hooks around tool calls, prompt fetches and resource reads, and the chain
 * that runs them in priority order, isolating failures (a plugin that throws never breaks a request unless it
 * enforces with {@code on_error: fail}) and giving a deep copy only to plugins that modify payloads. Built from the
 * {@code plugins:} section of {@code config/mcpgw.yaml} by {@link dev.mcpgw.gateway.plugin.PluginChains}, which fails
 * at start-up on any invalid key. The built-in kinds live in the sub-packages.
 */
package dev.mcpgw.gateway.plugin;
