/**
 * Logging shared by the gateway and the observability core: {@link dev.mcpgw.observability.logging.ThrottledLogger},
 * the one rule for lines that could otherwise be written at the request rate. Depends on nothing but SLF4J.
 */
package dev.mcpgw.observability.logging;
