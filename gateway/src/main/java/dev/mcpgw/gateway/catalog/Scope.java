package dev.mcpgw.gateway.catalog;

/**
 * Which part of the catalog a downstream endpoint serves.
 *
 * @param serverId the virtual server's id for {@code /servers/{id}/mcp}, or {@code null} for {@code /mcp} (everything)
 */
public record Scope(String serverId) {
  public static final Scope ALL = new Scope(null);

  public boolean isAll() {
    return serverId == null;
  }
}
