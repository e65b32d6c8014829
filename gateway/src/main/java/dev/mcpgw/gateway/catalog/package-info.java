/**
 * The catalog: the tools, prompts and resources the gateway offers downstream, per endpoint scope, and how each maps
 * to the upstream that owns it; the rendering of gateway-local prompt templates (Jinjava, from a cache of parsed
 * templates) that {@code prompts/get} answers with; and {@code GET /tools}, the listing of tools discovered from
 * upstreams.
 */
package dev.mcpgw.gateway.catalog;
