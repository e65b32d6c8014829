package dev.mcpgw.gateway.store;

import java.util.Locale;

/** Who besides its own tenant sees a registry entity (docs/adr/0014-tenancy.md). */
public enum Visibility {
  /** Its tenant only (and platform admins). */
  PRIVATE("private"),
  /** Its tenant and the tenants named in {@code entity_shares}. */
  SHARED("shared"),
  /** Every tenant. */
  PUBLIC("public");

  private final String wireName;

  Visibility(String wireName) {
    this.wireName = wireName;
  }

  /** The value stored in the {@code visibility} column and used in the API. */
  public String wireName() {
    return wireName;
  }

  /** The visibility {@code value} names, or {@code null}. */
  public static Visibility fromWireName(String value) {
    if (value == null) {
      return null;
    }
    String v = value.trim().toLowerCase(Locale.ROOT);
    for (Visibility x : values()) {
      if (x.wireName.equals(v)) {
        return x;
      }
    }
    return null;
  }
}
