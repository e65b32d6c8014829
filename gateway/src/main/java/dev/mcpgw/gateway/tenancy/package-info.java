/**
 * The admin API's side of the tenancy model (docs/adr/0014-tenancy.md): who may create for which tenant, see, change
 * and share registry entities. The visibility rule itself lives in {@link dev.mcpgw.gateway.store.Ownership}; the MCP
 * side is filtered by the catalog's {@link dev.mcpgw.gateway.catalog.Scope}.
 */
package dev.mcpgw.gateway.tenancy;
