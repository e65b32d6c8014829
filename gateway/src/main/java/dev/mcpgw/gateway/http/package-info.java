/**
 * The HTTP edge: Jetty 12 on virtual threads, the filters every request passes (request id, body size limit,
 * authentication, error mapping), the tiny router of the admin REST API, and {@code /health} and {@code /ready}.
 * Errors leave as JSON {@code {"error", "field"}}; a stack trace never reaches a client.
 */
package dev.mcpgw.gateway.http;
