/**
 * Federation: registering upstream MCP servers ({@code POST /gateways}), discovering and storing what they offer
 * (tools, resources, resource templates, prompts; again on refresh and on {@code list_changed}), reconnecting them at
 * start-up, watching their health with periodic pings, and following the registry written by other instances sharing
 * the database (connecting what they registered, disconnecting what they deleted; ADR 0020).
 */
package dev.mcpgw.gateway.federation;
