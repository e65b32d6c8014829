/**
 * Plugins: an SPI of ordered hooks around tool calls, prompt fetches and resource reads, the chain that runs them in
 * isolation, and the built-in rate limiter, deny list and PII filter.
 */
package dev.mcpgw.gateway.plugin;
