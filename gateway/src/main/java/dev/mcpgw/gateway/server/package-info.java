/**
 * Virtual servers: named subsets of the catalog (whole upstreams plus chosen tools, resources and prompts), each
 * served at {@code /servers/{id}/mcp}.
 */
package dev.mcpgw.gateway.server;
