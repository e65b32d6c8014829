/**
 * The registry database: a HikariCP pool over SQLite (the default, a file in the data directory) or PostgreSQL (when
 * several gateway instances share state), Flyway migrations written once for both, and Jdbi for the repositories.
 * Discovered MCP definitions are kept as their raw JSON text so fields the gateway does not know survive.
 */
package dev.mcpgw.gateway.store;
