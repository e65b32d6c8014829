/**
 * Prompts: the gateway-local ones ({@code POST /prompts}: a Jinja template with declared arguments, checked with the
 * catalog's {@link dev.mcpgw.gateway.catalog.PromptRenderer}) and the listing of every prompt the catalog offers.
 */
package dev.mcpgw.gateway.prompt;
