/** Tools: the listing of every tool the catalog offers on {@code /mcp}, with its registry id and owning upstream. */
package dev.mcpgw.gateway.tool;
