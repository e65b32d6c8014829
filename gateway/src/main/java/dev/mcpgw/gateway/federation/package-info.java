/**
 * Federation: registering upstream MCP servers ({@code POST /gateways}), discovering and storing what they offer
 * (tools, resources, resource templates, prompts; again on refresh and on {@code list_changed}), reconnecting them at
 * start-up, and watching their health with periodic pings.
 */
package dev.mcpgw.gateway.federation;
