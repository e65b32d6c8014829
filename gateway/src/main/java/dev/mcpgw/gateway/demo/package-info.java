/**
 * The demo upstream of {@code serve --demo}: a small real MCP server built with the official MCP Java SDK (tools
 * {@code echo}, {@code add}, {@code get_time}, one resource, one prompt) on its own loopback port, so a fresh
 * install has something to federate.
 */
package dev.mcpgw.gateway.demo;
