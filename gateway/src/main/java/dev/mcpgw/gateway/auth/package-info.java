/** Authentication of callers (bearer JWT, basic auth for the admin) and the {@link dev.mcpgw.gateway.auth.Caller} each request runs as. */
package dev.mcpgw.gateway.auth;
