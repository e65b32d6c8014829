package dev.mcpgw.gateway.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The {@code tenant_id} and {@code visibility} columns and the {@code entity_shares} table: how the repositories read
 * and write an entity's {@link Ownership}, and the one place that changes it afterwards.
 */
public final class Ownerships {
  private final Jdbi jdbi;

  public Ownerships(Database database) {
    this.jdbi = database.jdbi();
  }

  /**
   * Sets the visibility (and shared-with tenants) of an entity, keeping its tenant.
   *
   * @return false when there is no such entity (for prompts and resources: no such local one)
   */
  public boolean changeVisibility(OwnedKind kind, String id, Visibility visibility, Set<String> sharedWith) {
    return jdbi.inTransaction(h -> {
      int n = h.createUpdate("UPDATE " + kind.table() + " SET visibility = :v WHERE id = :id" + kind.ownRows())
          .bind("v", visibility.wireName()).bind("id", id).execute();
      if (n == 0) {
        return false;
      }
      deleteShares(h, kind, id);
      if (visibility == Visibility.SHARED) {
        insertShares(h, kind, id, sharedWith);
      }
      return true;
    });
  }

  /** The ownership of an entity (for prompts and resources: of a local one), or empty. */
  public Optional<Ownership> find(OwnedKind kind, String id) {
    return jdbi.withHandle(h -> h.createQuery("SELECT tenant_id, visibility FROM " + kind.table() + " WHERE id = :id"
            + kind.ownRows()).bind("id", id)
        .map((rs, ctx) -> read(rs, shares(h, kind, id))).findOne());
  }

  /** How many entities of {@code kind} (for prompts and resources: local ones) belong to {@code tenant}. */
  public long count(OwnedKind kind, String tenant) {
    return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + kind.table() + " WHERE tenant_id = :t"
        + kind.ownRows()).bind("t", tenant).mapTo(Long.class).one());
  }

  static void insertShares(Handle h, OwnedKind kind, String id, Ownership o) {
    if (o.visibility() == Visibility.SHARED) {
      insertShares(h, kind, id, o.sharedWith());
    }
  }

  private static void insertShares(Handle h, OwnedKind kind, String id, Set<String> tenants) {
    for (String t : tenants) {
      h.createUpdate("INSERT INTO entity_shares (kind, entity_id, tenant_id) VALUES (:k, :id, :t)")
          .bind("k", kind.wireName()).bind("id", id).bind("t", t).execute();
    }
  }

  static void deleteShares(Handle h, OwnedKind kind, String id) {
    h.createUpdate("DELETE FROM entity_shares WHERE kind = :k AND entity_id = :id")
        .bind("k", kind.wireName()).bind("id", id).execute();
  }

  /** Every share of {@code kind}: entity id to tenants. */
  static Map<String, Set<String>> shares(Handle h, OwnedKind kind) {
    Map<String, Set<String>> out = new HashMap<>();
    h.createQuery("SELECT entity_id, tenant_id FROM entity_shares WHERE kind = :k")
        .bind("k", kind.wireName())
        .map((rs, ctx) -> Map.entry(rs.getString("entity_id"), rs.getString("tenant_id")))
        .forEach(e -> out.computeIfAbsent(e.getKey(), k -> new HashSet<>()).add(e.getValue()));
    return out;
  }

  static Set<String> shares(Handle h, OwnedKind kind, String id) {
    return Set.copyOf(h.createQuery("SELECT tenant_id FROM entity_shares WHERE kind = :k AND entity_id = :id")
        .bind("k", kind.wireName()).bind("id", id).mapTo(String.class).list());
  }

  /** The ownership held in the current row's {@code tenant_id} and {@code visibility} columns. */
  static Ownership read(ResultSet rs, Set<String> sharedWith) throws SQLException {
    Visibility v = Visibility.fromWireName(rs.getString("visibility"));
    return new Ownership(rs.getString("tenant_id"), v == null ? Visibility.PRIVATE : v, sharedWith);
  }
}
