/**
 * MCP Gateway: {@link dev.mcpgw.gateway.GatewayApplication} builds every part from the settings, starts them in
 * order and stops them in reverse; the capability packages below hold the parts.
 */
package dev.mcpgw.gateway;
