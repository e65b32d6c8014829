/**
 * The gateway's settings: one immutable {@link dev.mcpgw.gateway.config.GatewaySettings} built at start-up from
 * environment variables, then {@code config/mcpgw.yaml} (or {@code MCPGW_CONFIG}), then defaults. Invalid values fail
 * start-up with a message naming the key and the values it allows; nothing here is read again per request.
 */
package dev.mcpgw.gateway.config;
