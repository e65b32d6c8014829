/**
 * Secrets the gateway keeps for upstreams: the AES-256-GCM cipher of the registry's secret columns, its key (from
 * {@code MCPGW_SECRET_KEY} or a key file generated once), the owner-only files that hold generated secrets, and the
 * masking of upstream secrets in answers and logs.
 */
package dev.mcpgw.gateway.secret;
