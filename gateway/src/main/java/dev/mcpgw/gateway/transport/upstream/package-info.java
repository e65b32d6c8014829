/**
 * MCP clients towards upstream servers over Streamable HTTP, SSE and stdio, relaying JSON trees unchanged, with
 * timeouts, retries for idempotent calls and one circuit breaker per upstream.
 */
package dev.mcpgw.gateway.transport.upstream;
