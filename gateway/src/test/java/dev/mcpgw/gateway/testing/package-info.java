/**
 * Reusable test fixtures around real peers: the npm reference MCP server {@code server-everything} over each
 * transport, and a fault-injecting HTTP proxy to put in front of it.
 */
package dev.mcpgw.gateway.testing;
