package dev.mcpgw.gateway.store;

/** The registry entities that carry an {@link Ownership}: the {@code kind} column of {@code entity_shares}. */
public enum OwnedKind {
  GATEWAY("gateway", "gateways", ""),
  PROMPT("prompt", "prompts", " AND gateway_id IS NULL"),
  RESOURCE("resource", "resources", " AND gateway_id IS NULL"),
  SERVER("server", "servers", "");

  private final String wireName;
  private final String table;
  private final String ownRows;

  OwnedKind(String wireName, String table, String ownRows) {
    this.wireName = wireName;
    this.table = table;
    this.ownRows = ownRows;
  }

  /** The value of {@code entity_shares.kind}. */
  public String wireName() {
    return wireName;
  }

  /** The table (a constant, safe to splice into SQL). */
  String table() {
    return table;
  }

  /** The condition that selects rows carrying their own owner (local prompts and resources, not upstream ones). */
  String ownRows() {
    return ownRows;
  }

  /** The kind of a gateway-local item, or {@code null} for kinds that have no local items. */
  static OwnedKind ofLocal(ItemKind kind) {
    return switch (kind) {
      case PROMPT -> PROMPT;
      case RESOURCE -> RESOURCE;
      default -> null;
    };
  }
}
