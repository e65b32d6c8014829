/**
 * Prompts: the gateway-local ones ({@code POST /prompts}: a Jinja template with declared arguments, rendered with
 * Jinjava from a cache of parsed templates) and the listing of every prompt the catalog offers.
 */
package dev.mcpgw.gateway.prompt;
