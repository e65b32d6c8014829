/**
 * The command line ({@code bin/mcpgw}): {@code serve} runs the gateway, {@code token} mints a bearer token with the
 * same secret the server uses. Errors print one line that names the fix and exit non-zero.
 */
package dev.mcpgw.gateway.cli;
