/**
 * Resources: the gateway-local ones ({@code POST /resources}: a URI and its text, served by the gateway itself) and
 * the listing of every resource and resource template the catalog offers.
 */
package dev.mcpgw.gateway.resource;
