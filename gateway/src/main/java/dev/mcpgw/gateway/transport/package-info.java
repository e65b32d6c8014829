/**
 * The downstream MCP endpoints: Streamable HTTP at {@code /mcp} and {@code /servers/{id}/mcp} (sessions, SSE
 * answers, the GET stream, resumption with Last-Event-ID, DELETE, Origin and mirrored-header checks, body limits) and the legacy SSE transport, all feeding the one
 * dispatcher of {@code transport.rpc}. {@code transport.upstream} holds the clients towards upstream servers.
 */
package dev.mcpgw.gateway.transport;
