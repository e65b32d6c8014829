/**
 * The downstream MCP endpoints: Streamable HTTP at {@code /mcp} and {@code /servers/{id}/mcp} (sessions, SSE
 * answers, the GET stream, resumption with Last-Event-ID, DELETE, Origin and mirrored-header checks, body limits) and the legacy SSE transport, all feeding the one
 * dispatcher of {@code mcp}. Only the downstream wire lives here: what a message means is {@code mcp}'s business.
 */
package dev.mcpgw.gateway.transport;
