/**
 * The catalog: the tools, prompts and resources the gateway offers downstream, per endpoint scope, and how each maps
 * to the upstream that owns it.
 */
package dev.mcpgw.gateway.catalog;
